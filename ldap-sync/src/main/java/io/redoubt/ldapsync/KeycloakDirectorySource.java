package io.redoubt.ldapsync;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads Redoubt's people from Keycloak for the reconciliation: the members of the access groups,
 * page by page, and single users by id. Group members of an LDAP-mapped group in read-only mode are
 * read from LDAP by Keycloak at the time of the call, so a removal from the group in LDAP shows on
 * the next page read, without waiting for Keycloak's own sync.
 *
 * <p>How the members are read follows what Keycloak's answer costs (measured in the directory
 * benchmark, performance page): for a federated group Keycloak resolves, in one request, every
 * member from the start of the list up to {@code first + max} and then drops the first {@code
 * first}; its cost per request grows faster than linearly with {@code first + max} (about 2.6 s for
 * 1,000 and 47 s for 5,000 members on a quiet two-core host), and the same whatever {@code max} is.
 * Offset paging with small pages therefore costs the square of the group's size or worse. So
 * Keycloak is asked for large pages ({@code pageSize}), a few of them in flight at once ({@code
 * pagesInFlight}: the page that ends the list is read beside the one before it, on Keycloak's other
 * core), and each answer is parsed as it arrives and handed on {@value #CHUNK} users at a time:
 * Redoubt never holds a whole page.
 *
 * <p>Every failure is an exception: an unreachable Keycloak, an LDAP error behind it (Keycloak
 * answers 5xx), a missing access group, an answer cut off in the middle. Callers must treat a
 * failed read as "nothing known", never as "nobody there".
 */
public final class KeycloakDirectorySource {

  /** Users handed to the {@link PageHandler} at a time: one small write transaction's worth. */
  public static final int CHUNK = 200;

  /** The largest page Keycloak may be asked for. */
  public static final int MAX_PAGE_SIZE = 100_000;

  /** The most pages that may be in flight at once. */
  public static final int MAX_PAGES_IN_FLIGHT = 4;

  /** Some users of a group; the reconciliation handles them before it is handed the next. */
  public interface PageHandler {
    void handle(List<KeycloakUser> page) throws Exception;
  }

  /**
   * Where member pages come from: Keycloak's admin API ({@link KeycloakAdminApi#getStreaming}) or,
   * in the unit tests, a list.
   */
  interface Pages {
    /** The page's JSON body as it arrives, or empty when the group does not exist (404). */
    CompletableFuture<Optional<InputStream>> page(String groupId, boolean brief, int first, int max)
        throws IOException, InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakAdminApi api;
  private final Pages pages;
  private final int pageSize;
  private final int pagesInFlight;

  /** One page in flight at a time. */
  public KeycloakDirectorySource(KeycloakAdminApi api, int pageSize) {
    this(api, pageSize, 1);
  }

  /**
   * @param pageSize members Keycloak is asked for per request, 1 to {@value #MAX_PAGE_SIZE}
   * @param pagesInFlight requests for consecutive pages sent before the first is read, 1 to {@value
   *     #MAX_PAGES_IN_FLIGHT}
   */
  public KeycloakDirectorySource(KeycloakAdminApi api, int pageSize, int pagesInFlight) {
    this(api, memberPages(api), pageSize, pagesInFlight);
  }

  KeycloakDirectorySource(KeycloakAdminApi api, Pages pages, int pageSize, int pagesInFlight) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE);
    }
    if (pagesInFlight < 1 || pagesInFlight > MAX_PAGES_IN_FLIGHT) {
      throw new IllegalArgumentException("pages in flight must be 1 to " + MAX_PAGES_IN_FLIGHT);
    }
    this.api = api;
    this.pages = pages;
    this.pageSize = pageSize;
    this.pagesInFlight = pagesInFlight;
  }

  private static Pages memberPages(KeycloakAdminApi api) {
    return (groupId, brief, first, max) ->
        api.getStreaming(
            "groups/"
                + KeycloakAdminApi.enc(groupId)
                + "/members?briefRepresentation="
                + brief
                + "&first="
                + first
                + "&max="
                + max);
  }

  /**
   * The group's id, by exact top-level name.
   *
   * @throws IOException if Keycloak has no such group: a renamed or deleted access group must stop
   *     the run, not disable its members
   */
  public String groupId(String name) throws IOException, InterruptedException {
    JsonNode groups =
        api.get("groups?exact=true&briefRepresentation=true&search=" + KeycloakAdminApi.enc(name))
            .orElseThrow(() -> new IOException("Keycloak has no group list"));
    for (JsonNode group : groups) {
      if (group.path("name").asText().equals(name)) {
        return group.path("id").asText();
      }
    }
    throw new IOException("access group '" + name + "' does not exist in Keycloak");
  }

  /**
   * Reads every member of the group until Keycloak answers an empty page; returns how many there
   * were. The handler is called on this thread, {@value #CHUNK} users at a time, in the group's
   * order. Brief representations: they carry every field of {@link KeycloakUser}, and leaving the
   * attributes out is about a third cheaper for Keycloak (measured on its user listing), which
   * matters because a member page costs it every member up to the page's end.
   */
  public long members(String groupId, PageHandler handler) throws Exception {
    return members(groupId, true, handler);
  }

  /**
   * As {@link #members(String, PageHandler)}; {@code brief} asks Keycloak for the brief user
   * representation (id, username, names, email, enabled; no attributes), which is all a membership
   * check needs.
   */
  public long members(String groupId, boolean brief, PageHandler handler) throws Exception {
    return read(groupId, brief, false, handler);
  }

  /**
   * The group's members (brief representation) up to and including the first page that is not full:
   * one request instead of two for a group smaller than a page, where the empty page that proves
   * the end costs Keycloak as much as the group. The answer may miss members (those after a page
   * Keycloak shortened by dropping members it could not resolve), so it is only for a comparison
   * whose every difference leads to a complete read, never for deciding who loses access.
   */
  public long membersToFirstShortPage(String groupId, PageHandler handler) throws Exception {
    return read(groupId, true, true, handler);
  }

  private long read(String groupId, boolean brief, boolean shortPageEnds, PageHandler handler)
      throws Exception {
    Deque<CompletableFuture<Optional<InputStream>>> window = new ArrayDeque<>();
    int next = 0; // where the next page to ask for starts
    long total = 0;
    boolean full = false; // whether the last page read was full
    try {
      while (true) {
        // Pages are asked for ahead only while they come back full: then the next one starts
        // exactly pageSize further on, and Keycloak works on it while this thread reads.
        while (window.isEmpty() || (full && window.size() < pagesInFlight)) {
          window.addLast(pages.page(groupId, brief, next, pageSize));
          next += pageSize;
        }
        long count;
        try (InputStream body =
            await(window.removeFirst())
                .orElseThrow(
                    () -> new IOException("access group " + groupId + " vanished mid-run"))) {
          count = readPage(body, handler);
        }
        total += count;
        // Only an empty page ends the list. A short page is not the last one for an LDAP-mapped
        // group: Keycloak resolves the member DNs up to first + max and drops every one it cannot
        // turn into a user (a failed on-demand import, e.g. when its own changed-users sync
        // imports the same person at the same moment) before it skips to first. Stopping at a
        // short page read 197 of 10,105 members in the directory benchmark; the rest would have
        // looked like leavers.
        if (count == 0) {
          return total;
        }
        full = count >= pageSize;
        if (!full && shortPageEnds) {
          return total;
        }
        if (!full) {
          // After a short page the next one starts at the members read so far, not a page further:
          // Keycloak's offsets count the members it could resolve, so pageSize further on would
          // skip as many members as it dropped, on every later page (and, if the same members
          // fail every time, on the confirming second read too). Pages asked for ahead of this
          // one assumed it full: dropped.
          release(window);
          next = Math.toIntExact(total);
        }
      }
    } finally {
      release(window);
    }
  }

  /**
   * Gives up pages asked for but not read: their connections are closed when they answer. Keycloak
   * works on them anyway; there is no cancelling that.
   */
  private static void release(Deque<CompletableFuture<Optional<InputStream>>> window) {
    for (CompletableFuture<Optional<InputStream>> page : window) {
      page.whenComplete(
          (body, failure) -> {
            if (body != null) {
              body.ifPresent(KeycloakDirectorySource::closeQuietly);
            }
          });
    }
    window.clear();
  }

  /**
   * Parses one page as it arrives, handing its users on {@value #CHUNK} at a time; returns how many
   * it held. An answer that is not a JSON list of objects, or that ends before the list does (a
   * connection cut off mid-page), is an exception, never a short page.
   */
  static long readPage(InputStream body, PageHandler handler) throws Exception {
    try (JsonParser parser = JSON.getFactory().createParser(body)) {
      if (parser.nextToken() != JsonToken.START_ARRAY) {
        throw new IOException("Keycloak answered a member page that is not a list");
      }
      long count = 0;
      List<KeycloakUser> chunk = new ArrayList<>(CHUNK);
      JsonToken token;
      while ((token = parser.nextToken()) == JsonToken.START_OBJECT) {
        chunk.add(KeycloakUser.of(JSON.readTree(parser)));
        count++;
        if (chunk.size() == CHUNK) {
          handler.handle(chunk);
          chunk = new ArrayList<>(CHUNK);
        }
      }
      if (token != JsonToken.END_ARRAY) {
        throw new IOException("Keycloak answered a member page that is not a list of users");
      }
      if (!chunk.isEmpty()) {
        handler.handle(chunk);
      }
      return count;
    }
  }

  private static <T> T await(CompletableFuture<T> future) throws Exception {
    try {
      return future.get();
    } catch (ExecutionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof Exception exception) {
        throw exception;
      }
      throw e;
    }
  }

  private static void closeQuietly(InputStream in) {
    try {
      in.close();
    } catch (IOException e) {
      // Nothing to do: the connection is dropped.
    }
  }

  /** The user, or empty when Keycloak says (404) that there is no such user any more. */
  public Optional<KeycloakUser> user(String id) throws IOException, InterruptedException {
    return api.get("users/" + KeycloakAdminApi.enc(id)).map(KeycloakUser::of);
  }

  /** The names of the groups the user is a member of (directly), as Keycloak sees them now. */
  public List<String> groupsOf(String id) throws IOException, InterruptedException {
    JsonNode groups =
        api.get("users/" + KeycloakAdminApi.enc(id) + "/groups?briefRepresentation=true")
            .orElseThrow(() -> new IOException("user " + id + " vanished mid-run"));
    List<String> names = new ArrayList<>();
    groups.forEach(g -> names.add(g.path("name").asText()));
    return names;
  }
}
