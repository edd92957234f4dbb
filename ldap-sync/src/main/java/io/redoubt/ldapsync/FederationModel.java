package io.redoubt.ldapsync;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Turns {@link DirectorySettings} into the Keycloak LDAP federation component and its mappers.
 * Pure: no I/O, so that what Keycloak is told is unit-tested line by line.
 */
public final class FederationModel {

  /** Keycloak's config key of the bind credential; it answers {@link #MASK} for it on reads. */
  public static final String BIND_CREDENTIAL = "bindCredential";

  /** What Keycloak answers in place of a secret, and accepts as "keep the stored one". */
  public static final String MASK = "**********";

  private FederationModel() {}

  /** The LDAP user-storage component, without the bind credential. */
  public static ComponentSpec federation(DirectorySettings s) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    put(c, "enabled", "true");
    put(c, "priority", "0");
    put(c, "vendor", s.vendor().keycloakVendor());
    put(c, "connectionUrl", s.ldapUrl().toString());
    put(c, "startTls", Boolean.toString(s.startTls()));
    // Keycloak's own trust store (the JVM's in the lab) for ldaps:// and StartTLS.
    put(c, "useTruststoreSpi", "always");
    put(c, "authType", "simple");
    put(c, "bindDn", s.bindDn());
    put(c, "usersDn", s.usersDn());
    put(c, "customUserSearchFilter", s.usersFilter().orElse(""));
    // One level below usersDn: a subtree search would also find service accounts kept below it.
    put(c, "searchScope", "1");
    put(c, "userObjectClasses", String.join(", ", s.userObjectClasses()));
    put(c, "usernameLDAPAttribute", s.usernameAttribute());
    put(c, "rdnLDAPAttribute", s.vendor().rdnAttribute());
    put(c, "uuidLDAPAttribute", s.uuidAttribute());
    // The directory is the authority: Keycloak never writes to it.
    put(c, "editMode", "READ_ONLY");
    put(c, "importEnabled", "true");
    put(c, "syncRegistrations", "false");
    put(c, "trustEmail", "false");
    put(c, "pagination", "true");
    put(c, "batchSizeForSync", "1000");
    put(c, "changedSyncPeriod", Long.toString(s.changedUsersSyncPeriod().toSeconds()));
    put(c, "fullSyncPeriod", Long.toString(s.fullSyncPeriod().map(d -> d.toSeconds()).orElse(-1L)));
    // Bounded, not Keycloak's DEFAULT (kept until evicted): see DEFAULT_USER_CACHE_LIFESPAN.
    put(c, "cachePolicy", "MAX_LIFESPAN");
    put(c, "maxLifespan", Long.toString(s.userCacheLifespan().toMillis()));
    put(c, "connectionPooling", "true");
    put(c, "connectionTimeout", Long.toString(s.connectionTimeout().toMillis()));
    put(c, "readTimeout", Long.toString(s.readTimeout().toMillis()));
    put(c, "validatePasswordPolicy", "false");
    put(c, "allowKerberosAuthentication", "false");
    put(c, "useKerberosForPasswordAuthentication", "false");
    return new ComponentSpec(s.federationName(), "ldap", ComponentSpec.USER_STORAGE, c);
  }

  /**
   * The LDAP attribute Keycloak takes a user's first name from (and Redoubt, when it reads LDAP).
   */
  public static final String FIRST_NAME_ATTRIBUTE = "givenName";

  /** The LDAP attribute of the last name. */
  public static final String LAST_NAME_ATTRIBUTE = "sn";

  /** The LDAP attribute of the email address. */
  public static final String EMAIL_ATTRIBUTE = "mail";

  /**
   * The mappers, by name. The names are Keycloak's own defaults, so the mappers Keycloak creates
   * with a new federation are updated in place rather than duplicated.
   */
  public static List<ComponentSpec> mappers(DirectorySettings s) {
    List<ComponentSpec> mappers = new ArrayList<>();
    mappers.add(attribute("username", s.usernameAttribute(), "username", true, false));
    mappers.add(attribute("first name", FIRST_NAME_ATTRIBUTE, "firstName", false, true));
    mappers.add(attribute("last name", LAST_NAME_ATTRIBUTE, "lastName", true, true));
    mappers.add(attribute("email", EMAIL_ATTRIBUTE, "email", false, false));
    mappers.add(attribute("creation date", "createTimestamp", "createTimestamp", false, true));
    mappers.add(attribute("modify date", "modifyTimestamp", "modifyTimestamp", false, true));
    if (s.vendor() == VendorProfile.ACTIVE_DIRECTORY) {
      // userAccountControl's ACCOUNTDISABLE bit disables the Keycloak user (and so the Redoubt
      // one); read-only federation, so Keycloak never writes the bit back.
      Map<String, List<String>> c = new LinkedHashMap<>();
      put(c, "ldap.password.policy.hints.enabled", "false");
      mappers.add(
          new ComponentSpec(
              "MSAD account controls",
              "msad-user-account-control-mapper",
              ComponentSpec.LDAP_MAPPER,
              c));
    }
    Map<String, List<String>> g = new LinkedHashMap<>();
    put(g, "groups.dn", s.groupsDn());
    put(g, "group.name.ldap.attribute", "cn");
    put(g, "group.object.classes", s.vendor().groupObjectClass());
    put(g, "preserve.group.inheritance", "false");
    put(g, "ignore.missing.groups", "false");
    put(g, "membership.ldap.attribute", "member");
    put(g, "membership.attribute.type", "DN");
    put(g, "membership.user.ldap.attribute", s.usernameAttribute());
    put(g, "memberof.ldap.attribute", "memberOf");
    // Read-only: memberships are read from LDAP when asked, never stored in Keycloak, so that
    // removing someone from a group in LDAP takes effect on the next lookup.
    put(g, "mode", "READ_ONLY");
    put(g, "user.roles.retrieve.strategy", "LOAD_GROUPS_BY_MEMBER_ATTRIBUTE");
    put(g, "groups.path", "/");
    put(g, "drop.non.existing.groups.during.sync", "false");
    put(g, "mapped.group.attributes", "");
    mappers.add(new ComponentSpec("groups", "group-ldap-mapper", ComponentSpec.LDAP_MAPPER, g));
    return mappers;
  }

  private static ComponentSpec attribute(
      String name, String ldapAttribute, String modelAttribute, boolean mandatory, boolean always) {
    Map<String, List<String>> c = new LinkedHashMap<>();
    put(c, "ldap.attribute", ldapAttribute);
    put(c, "user.model.attribute", modelAttribute);
    put(c, "read.only", "true");
    put(c, "always.read.value.from.ldap", Boolean.toString(always));
    put(c, "is.mandatory.in.ldap", Boolean.toString(mandatory));
    put(c, "is.binary.attribute", "false");
    return new ComponentSpec(name, "user-attribute-ldap-mapper", ComponentSpec.LDAP_MAPPER, c);
  }

  private static void put(Map<String, List<String>> config, String key, String value) {
    config.put(key, List.of(value));
  }
}
