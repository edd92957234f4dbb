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
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * Reads Redoubt's people from Keycloak for the reconciliation: every user of the realm, page by
 * page, and single users by id. Who is in which group is read from the directory itself ({@link
 * LdapDirectory}): Keycloak's member list of an LDAP-mapped group resolves every member up to the
 * page's end, minutes at 10,000 members (performance page).
 *
 * <p>The user listing ({@code GET users}) is paged by Keycloak's database, so a page costs the same
 * wherever it starts (measured: about 4.4 s per 1,000 users with a cold user cache, mostly Keycloak
 * checking each against LDAP; 0.15 s warm). {@code pagesInFlight} pages are asked for at once, so
 * that Keycloak works on the next page (on its other core) while this thread reads one. Each answer
 * is parsed as it arrives and handed on {@value #CHUNK} users at a time: Redoubt never holds a
 * whole page.
 *
 * <p>Only an empty page ends the listing. A short page does not: Keycloak drops from a page the
 * users it finds gone from LDAP as it checks them. Offsets count database rows, so the next page
 * still starts a page further on; the rows of users dropped that way move forward, and the
 * reconciliation looks up by id every user it knows whom the listing did not show.
 *
 * <p>Every failure is an exception: an unreachable Keycloak, an LDAP error behind it (Keycloak
 * answers 5xx), an answer cut off in the middle. Callers must treat a failed read as "nothing
 * known", never as "nobody there".
 */
public final class KeycloakDirectorySource {

  /** Users handed to the {@link PageHandler} at a time: one small write transaction's worth. */
  public static final int CHUNK = 200;

  /** The largest page Keycloak may be asked for. */
  public static final int MAX_PAGE_SIZE = 100_000;

  /** The most pages that may be in flight at once. */
  public static final int MAX_PAGES_IN_FLIGHT = 4;

  /** Some users; the reconciliation handles them before it is handed the next. */
  public interface PageHandler {
    void handle(List<KeycloakUser> page) throws Exception;
  }

  /**
   * Where pages of the user listing come from: Keycloak's admin API ({@link
   * KeycloakAdminApi#getStreaming}) or, in the unit tests, a list.
   */
  interface Pages {
    /** The page's JSON body as it arrives (empty if Keycloak answers 404). */
    CompletableFuture<Optional<InputStream>> page(int first, int max)
        throws IOException, InterruptedException;
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakAdminApi api;
  private final Pages pages;
  private final int pageSize;
  private final int pagesInFlight;

  /**
   * @param pageSize users Keycloak is asked for per request, 1 to {@value #MAX_PAGE_SIZE}
   * @param pagesInFlight requests for consecutive pages sent before the first is read, 1 to {@value
   *     #MAX_PAGES_IN_FLIGHT}
   */
  public KeycloakDirectorySource(KeycloakAdminApi api, int pageSize, int pagesInFlight) {
    this(api, userPages(api), pageSize, pagesInFlight);
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

  private static Pages userPages(KeycloakAdminApi api) {
    // Brief representations carry every field of KeycloakUser (federationLink included) and cost
    // Keycloak about a third less than full ones (performance page).
    return (first, max) ->
        api.getStreaming("users?briefRepresentation=true&first=" + first + "&max=" + max);
  }

  /**
   * Reads every user of the realm until Keycloak answers an empty page; returns how many there
   * were. The handler is called on this thread, {@value #CHUNK} users at a time, in Keycloak's
   * order.
   */
  public long users(PageHandler handler) throws Exception {
    return users(Integer.MAX_VALUE, handler);
  }

  /**
   * As {@link #users(PageHandler)}, asking for no page that starts at or past {@code limit}. With
   * {@link #userCount()} as the limit the listing stays within the users Keycloak has imported:
   * past them Keycloak's listing goes on into its LDAP provider, which searches the whole directory
   * and imports everyone it has not imported yet inside that one request (in the benchmark, more
   * than the request timeout with 10,000 people not imported).
   */
  public long users(int limit, PageHandler handler) throws Exception {
    Deque<CompletableFuture<Optional<InputStream>>> window = new ArrayDeque<>();
    int next = 0; // where the next page to ask for starts
    long total = 0;
    try {
      while (true) {
        while (window.size() < pagesInFlight && next < limit) {
          // The last page ends at the limit: one that reached past Keycloak's imported users would
          // be filled up from its LDAP provider (see above).
          int max = Math.min(pageSize, limit - next);
          window.addLast(pages.page(next, max));
          next = Math.addExact(next, max);
        }
        if (window.isEmpty()) {
          return total;
        }
        long count;
        try (InputStream body =
            await(window.removeFirst())
                .orElseThrow(() -> new IOException("Keycloak has no user listing (404)"))) {
          count = readPage(body, handler);
        }
        total += count;
        if (count == 0) {
          return total;
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
        throw new IOException("Keycloak answered a user page that is not a list");
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
        throw new IOException("Keycloak answered a user page that is not a list of users");
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

  /**
   * The user with exactly this username, or empty. Unlike the listing, a lookup by username makes
   * Keycloak search its federation and import a directory entry it has not imported yet, as a login
   * would: this is how a run onboards members Keycloak's changed-users sync has not reached.
   */
  public Optional<KeycloakUser> userByUsername(String username)
      throws IOException, InterruptedException {
    Optional<JsonNode> found =
        api.get(
            "users?briefRepresentation=true&exact=true&username=" + KeycloakAdminApi.enc(username));
    if (found.isEmpty()) {
      return Optional.empty();
    }
    for (JsonNode user : found.get()) {
      KeycloakUser candidate = KeycloakUser.of(user);
      if (candidate.username().equalsIgnoreCase(username)) {
        return Optional.of(candidate);
      }
    }
    return Optional.empty();
  }

  /**
   * The ids of every user Keycloak has disabled (an administrator did, or, on Active Directory, the
   * account-controls mapper): Keycloak answers this from its database in one query per page,
   * without checking each user against LDAP as its plain listing does, so it costs a run next to
   * nothing however many people there are.
   */
  public Set<String> disabledUserIds() throws IOException, InterruptedException {
    Set<String> ids = new HashSet<>();
    for (int first = 0; ; first = Math.addExact(first, pageSize)) {
      JsonNode page =
          api.get(
                  "users?briefRepresentation=true&enabled=false&first="
                      + first
                      + "&max="
                      + pageSize)
              .orElseThrow(() -> new IOException("Keycloak has no user listing (404)"));
      if (!page.isArray()) {
        throw new IOException("Keycloak answered a user page that is not a list");
      }
      if (page.isEmpty()) {
        return ids;
      }
      for (JsonNode user : page) {
        KeycloakUser disabled = KeycloakUser.of(user);
        if (!disabled.enabled()) {
          ids.add(disabled.id());
        }
      }
    }
  }

  /** How many users Keycloak holds (those it has imported, and its own accounts). */
  public int userCount() throws IOException, InterruptedException {
    JsonNode count =
        api.get("users/count").orElseThrow(() -> new IOException("Keycloak has no user count"));
    if (!count.isIntegralNumber()) {
      throw new IOException("Keycloak answered a user count that is not a number");
    }
    return count.intValue();
  }
}
