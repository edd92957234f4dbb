package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * What the reconciliation asks Keycloak: the ids of new members (many at once, through Redoubt's
 * admin API extension in Keycloak), users by id or username, and who is disabled. Who is in which
 * group, and people's names, are read from the directory itself ({@link LdapDirectory}).
 *
 * <p>Keycloak's own user listing is not used: it checks every listed user against LDAP (1 to 3 ms
 * of Keycloak's CPU each) and, past the users it has imported, imports the whole directory inside
 * one request (performance page).
 *
 * <p>Every failure is an exception: an unreachable Keycloak, an LDAP error behind it (Keycloak
 * answers 5xx), an answer that is not what was asked for. Callers must treat a failed read as
 * "nothing known", never as "nobody there".
 */
public final class KeycloakDirectorySource {

  /** The largest page Keycloak may be asked for. */
  public static final int MAX_PAGE_SIZE = 100_000;

  /** The path of the accounts endpoint below the realm's admin API. */
  static final String ACCOUNTS_BY_USERNAME = "redoubt-directory/accounts/by-username";

  /** The most usernames one request to the accounts endpoint may carry (its own limit). */
  public static final int MAX_USERNAMES_PER_REQUEST = 1000;

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakAdminApi api;
  private final int pageSize;

  /**
   * @param pageSize users Keycloak is asked for per page, 1 to {@value #MAX_PAGE_SIZE}
   */
  public KeycloakDirectorySource(KeycloakAdminApi api, int pageSize) {
    if (pageSize < 1 || pageSize > MAX_PAGE_SIZE) {
      throw new IllegalArgumentException("page size must be 1 to " + MAX_PAGE_SIZE);
    }
    this.api = api;
    this.pageSize = pageSize;
  }

  /**
   * The accounts Keycloak has imported for these usernames, in one request to Redoubt's extension
   * of its admin API ({@code redoubt-directory}, in the provider jar): Keycloak reads its own
   * tables and checks nothing against LDAP, a few milliseconds for a chunk of 200 usernames. A
   * username Keycloak has no account for is left out: its sync has not imported the person yet.
   *
   * @param usernames 1 to {@value #MAX_USERNAMES_PER_REQUEST} usernames
   * @return the accounts, or empty if this Keycloak does not have the extension (404)
   */
  public Optional<List<KeycloakAccount>> accountsByUsername(Collection<String> usernames)
      throws IOException, InterruptedException {
    if (usernames.isEmpty() || usernames.size() > MAX_USERNAMES_PER_REQUEST) {
      throw new IllegalArgumentException(
          "ask about 1 to " + MAX_USERNAMES_PER_REQUEST + " usernames at a time");
    }
    ArrayNode body = JSON.createArrayNode();
    usernames.forEach(body::add);
    Optional<JsonNode> answer = api.postForJson(ACCOUNTS_BY_USERNAME, body);
    if (answer.isEmpty()) {
      return Optional.empty();
    }
    if (!answer.get().isArray()) {
      throw new IOException("Keycloak answered an account list that is not a list");
    }
    List<KeycloakAccount> accounts = new ArrayList<>(answer.get().size());
    for (JsonNode account : answer.get()) {
      if (!account.isObject() || !account.path("id").isTextual()) {
        throw new IOException("Keycloak answered an account list that is not a list of accounts");
      }
      accounts.add(KeycloakAccount.of(account));
    }
    return Optional.of(accounts);
  }

  /** The user, or empty when Keycloak says (404) that there is no such user any more. */
  public Optional<KeycloakUser> user(String id) throws IOException, InterruptedException {
    return api.get("users/" + KeycloakAdminApi.enc(id)).map(KeycloakUser::of);
  }

  /**
   * The user with exactly this username, or empty. Unlike {@link #accountsByUsername}, a lookup by
   * username makes Keycloak search its federation and import a directory entry it has not imported
   * yet, as a login would (about 90 ms of its CPU each): this is how a run onboards a few members
   * Keycloak's changed-users sync has not reached.
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
   * without checking each user against LDAP as its plain listing does (0.2 s for 20,000 people).
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
}
