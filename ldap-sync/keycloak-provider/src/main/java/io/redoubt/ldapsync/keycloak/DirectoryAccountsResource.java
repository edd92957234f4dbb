package io.redoubt.ldapsync.keycloak;

import jakarta.persistence.EntityManager;
import jakarta.ws.rs.BadRequestException;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.keycloak.connections.jpa.JpaConnectionProvider;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.RealmModel;
import org.keycloak.services.resources.admin.fgap.AdminPermissionEvaluator;

/**
 * Answers, for many usernames in one request, which accounts Keycloak has imported for them: id,
 * username, enabled, federation link and the LDAP entry id ({@code LDAP_ID}) it recorded.
 *
 * <p>Why it exists: Redoubt reads names and group membership from LDAP itself and needs from
 * Keycloak only the id of each new member. Keycloak's admin API can give that only user by user
 * ({@code users?username=}, which checks the entry against LDAP: about 90 ms each) or through its
 * listing (which checks every listed user against LDAP: 1 to 3 ms each, and past the imported users
 * imports the whole directory inside the request). Onboarding 10,000 people that way cost Keycloak
 * about 28 s of CPU. This endpoint reads Keycloak's own tables only, two statements per request.
 *
 * <p>It reads what Keycloak's last sync imported and checks nothing against LDAP: Redoubt compares
 * the entry id with the one it read from LDAP itself, and takes access only on Keycloak's admin
 * API's answers, never on this one's (an account missing here is "not imported yet").
 *
 * <p>The queries name Keycloak's JPA entities ({@code UserEntity}, {@code UserAttributeEntity}),
 * which are not a public API: the integration tests run them against the Keycloak the lab installs,
 * so an upgrade that renames them fails there first.
 */
public class DirectoryAccountsResource {

  /** The most usernames one request may ask about. */
  public static final int MAX_USERNAMES = 1000;

  /** The attribute in which Keycloak's LDAP provider records the entry's id. */
  static final String LDAP_ID = "LDAP_ID";

  private final KeycloakSession session;
  private final RealmModel realm;
  private final AdminPermissionEvaluator auth;

  DirectoryAccountsResource(
      KeycloakSession session, RealmModel realm, AdminPermissionEvaluator auth) {
    this.session = session;
    this.realm = realm;
    this.auth = auth;
  }

  /**
   * The accounts (not service accounts) with these usernames, in no particular order; a username
   * without one is left out. Each answer is a map with {@code id}, {@code username}, {@code
   * enabled}, {@code federationLink} and {@code ldapId} (the last two may be null).
   *
   * @param usernames 1 to {@value #MAX_USERNAMES} usernames, compared as Keycloak stores them (in
   *     lower case)
   */
  @POST
  @Path("accounts/by-username")
  @Consumes(MediaType.APPLICATION_JSON)
  @Produces(MediaType.APPLICATION_JSON)
  public List<Map<String, Object>> byUsername(List<String> usernames) {
    auth.users().requireView();
    if (usernames == null || usernames.isEmpty() || usernames.size() > MAX_USERNAMES) {
      throw new BadRequestException("expected a JSON list of 1 to " + MAX_USERNAMES + " usernames");
    }
    Set<String> wanted = new LinkedHashSet<>();
    for (String username : usernames) {
      if (username == null || username.isBlank()) {
        throw new BadRequestException("a username is empty");
      }
      wanted.add(username.toLowerCase(Locale.ROOT));
    }
    EntityManager em = session.getProvider(JpaConnectionProvider.class).getEntityManager();
    List<Object[]> rows =
        em.createQuery(
                "select u.id, u.username, u.enabled, u.federationLink from UserEntity u"
                    + " where u.realmId = :realm and u.username in :usernames"
                    + " and u.serviceAccountClientLink is null",
                Object[].class)
            .setParameter("realm", realm.getId())
            .setParameter("usernames", wanted)
            .getResultList();
    Map<String, Map<String, Object>> accounts = new LinkedHashMap<>();
    for (Object[] row : rows) {
      Map<String, Object> account = new LinkedHashMap<>();
      account.put("id", row[0]);
      account.put("username", row[1]);
      account.put("enabled", row[2]);
      account.put("federationLink", row[3]);
      account.put("ldapId", null);
      accounts.put((String) row[0], account);
    }
    if (!accounts.isEmpty()) {
      List<Object[]> ids =
          em.createQuery(
                  "select a.user.id, a.value from UserAttributeEntity a"
                      + " where a.name = :name and a.user.id in :ids",
                  Object[].class)
              .setParameter("name", LDAP_ID)
              .setParameter("ids", accounts.keySet())
              .getResultList();
      for (Object[] id : ids) {
        accounts.get((String) id[0]).put("ldapId", id[1]);
      }
    }
    return new ArrayList<>(accounts.values());
  }
}
