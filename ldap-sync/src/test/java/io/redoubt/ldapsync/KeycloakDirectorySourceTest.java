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
 * How the user listing is paged, streamed and ended. Keycloak is stood in for by a realm of N users
 * that answers {@code first}/{@code max} as Keycloak's database-paged listing does, including the
 * users it drops from a page because they are gone from LDAP (the real Keycloak is read in the
 * directory ITs and the benchmark).
 */
class KeycloakDirectorySourceTest {

  /** A realm of {@code size} users; users for which {@code dropped} holds are left out. */
  static final class Realm implements KeycloakDirectorySource.Pages {
    final int size;
    IntPredicate dropped = i -> false;
    final List<Integer> asked = new ArrayList<>();
    final List<Integer> maxes = new ArrayList<>();
    int outstanding;
    int mostOutstanding;

    /** What the next answers are, instead of the realm's page (body text or null for 404). */
    final List<String> override = new ArrayList<>();

    Realm(int size) {
      this.size = size;
    }

    @Override
    public CompletableFuture<Optional<InputStream>> page(int first, int max) {
      asked.add(first);
      maxes.add(max);
      outstanding++;
      mostOutstanding = Math.max(mostOutstanding, outstanding);
      String body;
      if (!override.isEmpty()) {
        body = override.remove(0);
        if (body == null) {
          return CompletableFuture.completedFuture(Optional.empty());
        }
      } else {
        // As Keycloak: rows first to first+max of its table, less those it drops on checking.
        List<String> users = new ArrayList<>();
        for (int i = first; i < Math.min(size, first + max); i++) {
          if (!dropped.test(i)) {
            users.add(
                "{\"id\":\"u"
                    + i
                    + "\",\"username\":\"user"
                    + i
                    + "\",\"enabled\":true,\"federationLink\":\"ldap\"}");
          }
        }
        body = "[" + String.join(",", users) + "]";
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

  static List<List<KeycloakUser>> read(Realm realm, int pageSize, int inFlight) throws Exception {
    List<List<KeycloakUser>> chunks = new ArrayList<>();
    long total =
        new KeycloakDirectorySource(null, realm, pageSize, inFlight)
            .users(page -> chunks.add(List.copyOf(page)));
    assertThat(total).isEqualTo(chunks.stream().mapToInt(List::size).sum());
    return chunks;
  }

  static List<String> ids(List<List<KeycloakUser>> chunks) {
    return chunks.stream().flatMap(List::stream).map(KeycloakUser::id).toList();
  }

  @Test
  void readsEveryUserOnceAndOnlyAnEmptyPageEndsTheList() throws Exception {
    Realm realm = new Realm(450);
    List<List<KeycloakUser>> chunks = read(realm, 200, 1);
    assertThat(ids(chunks)).hasSize(450).doesNotHaveDuplicates().startsWith("u0").endsWith("u449");
    assertThat(chunks.get(0).get(0).federated()).isTrue();
    // 50 at 400 is a short page; the list ends only at the empty page after it.
    assertThat(realm.asked).containsExactly(0, 200, 400, 600);
  }

  @Test
  void aLargePageIsHandedOnInChunksNotWhole() throws Exception {
    Realm realm = new Realm(1_050);
    List<List<KeycloakUser>> chunks = read(realm, 20_000, 1);
    assertThat(ids(chunks)).hasSize(1_050).doesNotHaveDuplicates();
    assertThat(chunks).allSatisfy(c -> assertThat(c).hasSizeLessThanOrEqualTo(200));
    assertThat(chunks.get(0)).hasSize(KeycloakDirectorySource.CHUNK);
    assertThat(realm.outstanding).isZero();
  }

  @Test
  void keepsPagesInFlightAndClosesTheOnesAskedForPastTheEnd() throws Exception {
    Realm realm = new Realm(1_000);
    assertThat(ids(read(realm, 100, 3))).hasSize(1_000).doesNotHaveDuplicates();
    assertThat(realm.mostOutstanding).isEqualTo(3);
    // Two pages ahead of the one read: 1,100 and 1,200 were asked for before 1,000 came back
    // empty. Their answers are closed.
    assertThat(realm.asked)
        .containsExactly(0, 100, 200, 300, 400, 500, 600, 700, 800, 900, 1_000, 1_100, 1_200);
    assertThat(realm.outstanding).isZero();
  }

  @Test
  void aLimitedListingAsksForNoPagePastTheLimit() throws Exception {
    Realm realm = new Realm(1_000);
    List<String> ids = new ArrayList<>();
    long total =
        new KeycloakDirectorySource(null, realm, 100, 3)
            .users(450, page -> page.forEach(u -> ids.add(u.id())));
    // Pages start at 0 to 400, and the one at 400 asks for 50: none reaches past the limit.
    assertThat(realm.asked).containsExactly(0, 100, 200, 300, 400);
    assertThat(realm.maxes).containsExactly(100, 100, 100, 100, 50);
    assertThat(total).isEqualTo(450);
    assertThat(ids).hasSize(450).doesNotHaveDuplicates();
    assertThat(realm.outstanding).isZero();
  }

  @Test
  void aShortPageInTheMiddleDoesNotEndTheList() throws Exception {
    Realm realm = new Realm(1_000);
    // Keycloak drops three users it found gone from LDAP as it checked them.
    Set<Integer> gone = Set.of(5, 50, 150);
    realm.dropped = gone::contains;
    List<String> ids = ids(read(realm, 200, 2));
    // Offsets count rows, so the pages after a short one still start a page further on.
    assertThat(ids)
        .hasSize(997)
        .doesNotHaveDuplicates()
        .doesNotContain("u5", "u50", "u150")
        .contains("u200", "u201", "u202", "u999");
  }

  @Test
  void anAnswerCutOffMidPageFailsInsteadOfEndingTheList() {
    Realm realm = new Realm(10);
    realm.override.add("[{\"id\":\"u0\",\"username\":\"user0\",\"enabled\":true},{\"id\":\"u1\"");
    assertThatThrownBy(() -> read(realm, 200, 2)).isInstanceOf(IOException.class);
  }

  @Test
  void anAnswerThatIsNotAListOfUsersFails() {
    Realm notAList = new Realm(10);
    notAList.override.add("{\"error\":\"unknown\"}");
    assertThatThrownBy(() -> read(notAList, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list");
    Realm numbers = new Realm(10);
    numbers.override.add("[1,2,3]");
    assertThatThrownBy(() -> read(numbers, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list of users");
  }

  @Test
  void aListingThatIsGoneFails() {
    Realm realm = new Realm(500);
    realm.override.add(null); // 404
    assertThatThrownBy(() -> read(realm, 200, 1))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no user listing");
  }

  @Test
  void aFailedRequestIsThrownAsItsOwnException() {
    KeycloakDirectorySource.Pages failing =
        (first, max) ->
            CompletableFuture.failedFuture(
                new KeycloakAdminApi.KeycloakException("GET users answered HTTP 500", 500));
    assertThatThrownBy(() -> new KeycloakDirectorySource(null, failing, 200, 2).users(page -> {}))
        .isInstanceOf(KeycloakAdminApi.KeycloakException.class)
        .hasMessageContaining("500");
  }

  @Test
  void pageSizeAndWindowAreBounded() {
    Realm realm = new Realm(1);
    assertThatThrownBy(() -> new KeycloakDirectorySource(null, realm, 0, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KeycloakDirectorySource(
                    null, realm, KeycloakDirectorySource.MAX_PAGE_SIZE + 1, 1))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> new KeycloakDirectorySource(null, realm, 200, 0))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(
            () ->
                new KeycloakDirectorySource(
                    null, realm, 200, KeycloakDirectorySource.MAX_PAGES_IN_FLIGHT + 1))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
