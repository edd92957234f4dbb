package io.redoubt.ldapsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.function.IntPredicate;
import org.junit.jupiter.api.Test;

/**
 * How the member list is paged, streamed and ended. Keycloak is stood in for by a group of N users
 * that answers {@code first}/{@code max} as Keycloak does for an LDAP-mapped group, including the
 * members it drops from a page (the real Keycloak is read in DirectorySyncIT and the benchmark).
 */
class KeycloakDirectorySourceTest {

  /** A group of {@code size} users; members for which {@code dropped} holds are left out. */
  static final class Group implements KeycloakDirectorySource.Pages {
    final int size;
    IntPredicate dropped = i -> false;
    final List<Integer> asked = new ArrayList<>();
    int outstanding;
    int mostOutstanding;

    /** What the next answers are, instead of the group's page (body text or null for 404). */
    final List<String> override = new ArrayList<>();

    Group(int size) {
      this.size = size;
    }

    @Override
    public CompletableFuture<Optional<InputStream>> page(
        String groupId, boolean brief, int first, int max) {
      asked.add(first);
      outstanding++;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
      String body;
      if (!override.isEmpty()) {
        body = override.remove(0);
        if (body == null) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
      } else {
        // As Keycloak: the users it could resolve among the first first+max, then skip first.
        List<String> users = new ArrayList<>();
        for (int i = 0; i < Math.min(size, first + max); i++) {
          if (!dropped.test(i)) {
            users.add("{\"id\":\"u" + i + "\",\"username\":\"user" + i + "\",\"enabled\":true}");
          }
        }
        body =
            "["
                + String.join(",", users.subList(Math.min(first, users.size()), users.size()))
                + "]";
      }
      InputStream stream =
          new ByteArrayInputStream(body.getBytes(StandardCharsets.UTF_8)) {
            private boolean closed;

            @Override
            public void close() throws IOException {
              if (!closed) {
                closed = true;
                outstanding--;
              }
              super.close();
            }
          };
      return CompletableFuture.completedFuture(Optional.of(stream));
    }
  }

  static List<List<KeycloakUser>> read(Group group, int pageSize, int inFlight) throws Exception {
    List<List<KeycloakUser>> chunks = new ArrayList<>();
    long total =
        new KeycloakDirectorySource(null, group, pageSize, inFlight)
            .members("g", true, page -> chunks.add(List.copyOf(page)));
    assertThat(total).isEqualTo(chunks.stream().mapToInt(List::size).sum());
    return chunks;
  }

  static List<String> ids(List<List<KeycloakUser>> chunks) {
    return chunks.stream().flatMap(List::stream).map(KeycloakUser::id).toList();
  }

  @Test
  void readsEveryMemberOnceAndOnlyAnEmptyPageEndsTheList() throws Exception {
    Group group = new Group(450);
    List<List<KeycloakUser>> chunks = read(group, 200, 1);
    assertThat(ids(chunks)).hasSize(450).doesNotHaveDuplicates().startsWith("u0").endsWith("u449");
    // 50 at 400 is a short page: the next one starts after the 450 read, and is empty.
    assertThat(group.asked).containsExactly(0, 200, 400, 450);
  }

  @Test
  void aLargePageIsHandedOnInChunksNotWhole() throws Exception {
    Group group = new Group(1_050);
    List<List<KeycloakUser>> chunks = read(group, 20_000, 2);
    assertThat(ids(chunks)).hasSize(1_050).doesNotHaveDuplicates();
    assertThat(chunks).allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(200));
    assertThat(chunks.get(0)).hasSize(KeycloakDirectorySource.CHUNK);
    // No page is asked for ahead of a first page that might be the only one: Keycloak would
    // resolve the whole group for it again.
    assertThat(group.asked).containsExactly(0, 1_050);
    assertThat(group.outstanding).isZero();
  }

  @Test
  void keepsTheWindowFullWhilePagesAreFullAndAsksOneAtATimeAfterAShortOne() throws Exception {
    Group group = new Group(1_000);
    assertThat(ids(read(group, 100, 3))).hasSize(1_000);
    assertThat(group.mostOutstanding).isEqualTo(3);
    // The first page alone; then, every page up to 900 being full, the window of three runs two
    // pages ahead of the one read: 1,100 and 1,200 were asked for before 1,000 came back empty.
    // Their answers are closed.
    assertThat(group.asked)
        .containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000, 1_100, 1_200);
    assertThat(group.outstanding).isZero();
    // A short page drops the pages asked for ahead of it: 1,050 members, 50 at 1,000, then the
    // page after the 1,050 read.
    Group shortEnd = new Group(1_050);
    assertThat(ids(read(shortEnd, 100, 3))).hasSize(1_050).doesNotHaveDuplicates();
    assertThat(shortEnd.asked).endsWith(1_000, 1_100, 1_200, 1_050);
    assertThat(shortEnd.outstanding).isZero();
  }

  @Test
  void aShortPageInTheMiddleDoesNotEndTheList() throws Exception {
    Group group = new Group(1_000);
    // Keycloak drops three members it could not import (as in the benchmark's first attempt).
    Set<Integer> failed = Set.of(5, 50, 150);
    group.dropped = failed::contains;
    List<String> ids = ids(read(group, 200, 2));
    // None of the others is skipped: Keycloak's offsets count resolved members, so a page after
    // a short one starts at the members read, not a page further.
    assertThat(ids)
        .hasSize(997)
        .doesNotHaveDuplicates()
        .doesNotContain("u5", "u50", "u150")
        .contains("u200", "u201", "u202", "u999");
  }

  @Test
  void theComparisonReadStopsAtTheFirstShortPage() throws Exception {
    Group small = new Group(1_050);
    List<String> ids = new ArrayList<>();
    long total =
        new KeycloakDirectorySource(null, small, 20_000, 2)
            .membersToFirstShortPage("g", page -> page.forEach(u -> ids.add(u.id())));
    assertThat(total).isEqualTo(1_050);
    assertThat(ids).hasSize(1_050);
    // One request: no empty page to prove the end.
    assertThat(small.asked).containsExactly(0);

    // Members Keycloak drops shorten the read: it may miss members, which is why only the
    // membership check, whose differences all lead to a complete run, uses it.
    Group dropping = new Group(1_000);
    dropping.dropped = i -> i == 5;
    List<String> seen = new ArrayList<>();
    new KeycloakDirectorySource(null, dropping, 200, 2)
        .membersToFirstShortPage("g", page -> page.forEach(u -> seen.add(u.id())));
    assertThat(seen).hasSize(199);
    assertThat(ids(read(dropping, 200, 2))).hasSize(999);
  }

  @Test
  void anAnswerCutOffMidPageFailsInsteadOfEndingTheList() {
    Group group = new Group(10);
    group.override.add("[{\"id\":\"u0\",\"username\":\"user0\",\"enabled\":true},{\"id\":\"u1\"");
    assertThatThrownBy(() -> read(group, 200, 2)).isInstanceOf(IOException.class);
  }

  @Test
  void anAnswerThatIsNotAListOfUsersFails() {
    Group notAList = new Group(10);
    notAList.override.add("{\"error\":\"unknown\"}");
    assertThatThrownBy(() -> read(notAList, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list");
    Group numbers = new Group(10);
    numbers.override.add("[1,2,3]");
    assertThatThrownBy(() -> read(numbers, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list of users");
  }

  @Test
  void aGroupThatVanishesMidRunFails() {
    Group group = new Group(500);
    group.override.add(
        "["
            + "{\"id\":\"u0\",\"username\":\"user0\",\"enabled\":true},".repeat(199)
            + "{\"id\":\"u0\",\"username\":\"user0\",\"enabled\":true}]");
    group.override.add(null); // 404 for the second page
    assertThatThrownBy(() -> read(group, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("vanished");
  }

  @Test
  void aFailedRequestIsThrownAsItsOwnException() {
    KeycloakDirectorySource.Pages failing =
        (groupId, brief, first, max) ->
            CompletableFuture.failedFuture(
                new KeycloakAdminApi.KeycloakException("GET members answered HTTP 500", 500));
    assertThatThrownBy(
            () -> new KeycloakDirectorySource(null, failing, 200, 2).members("g", page -> {}))
        .isInstanceOf(KeycloakAdminApi.KeycloakException.class)
        .hasMessageContaining("500");
  }

  @Test
  void pageSizeAndWindowAreBounded() {
    Group group = new Group(1);
    assertThatThrownBy(() -> new KeycloakDirectorySource(null, group, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KeycloakDirectorySource(
                    null, group, KeycloakDirectorySource.MAX_PAGE_SIZE + 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeycloakDirectorySource(null, group, 200, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KeycloakDirectorySource(
                    null, group, 200, KeycloakDirectorySource.MAX_PAGES_IN_FLIGHT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
