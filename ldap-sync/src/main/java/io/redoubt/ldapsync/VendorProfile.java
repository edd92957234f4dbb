package io.redoubt.ldapsync;

import java.util.List;
import java.util.Locale;

/**
 * What differs between directory products: attribute names, object classes, and how Keycloak is
 * told about the vendor. Settings may override the attributes; the profile gives the defaults.
 */
public enum VendorProfile {
  /** OpenLDAP (and other RFC 4512 directories with entryUUID and inetOrgPerson). */
  OPENLDAP(
      "openldap", "other", "uid", "uid", "entryUUID", List.of("inetOrgPerson"), "groupOfNames"),

  /**
   * Microsoft Active Directory: login name sAMAccountName, stable id objectGUID (binary; Keycloak
   * decodes it for vendor "ad"), and userAccountControl's ACCOUNTDISABLE bit mapped by Keycloak's
   * MSAD account-controls mapper, so that a user disabled in AD is disabled in Keycloak.
   */
  ACTIVE_DIRECTORY(
      "active-directory",
      "ad",
      "sAMAccountName",
      "cn",
      "objectGUID",
      List.of("person", "organizationalPerson", "user"),
      "group");

  private final String settingName;
  private final String keycloakVendor;
  private final String usernameAttribute;
  private final String rdnAttribute;
  private final String uuidAttribute;
  private final List<String> userObjectClasses;
  private final String groupObjectClass;

  VendorProfile(
      String settingName,
      String keycloakVendor,
      String usernameAttribute,
      String rdnAttribute,
      String uuidAttribute,
      List<String> userObjectClasses,
      String groupObjectClass) {
    this.settingName = settingName;
    this.keycloakVendor = keycloakVendor;
    this.usernameAttribute = usernameAttribute;
    this.rdnAttribute = rdnAttribute;
    this.uuidAttribute = uuidAttribute;
    this.userObjectClasses = userObjectClasses;
    this.groupObjectClass = groupObjectClass;
  }

  /**
   * The profile named {@code name} in a settings file ({@code openldap}, {@code active-directory}).
   */
  public static VendorProfile byName(String name) {
    String wanted = name == null ? "" : name.strip().toLowerCase(Locale.ROOT);
    for (VendorProfile profile : values()) {
      if (profile.settingName.equals(wanted)) {
        return profile;
      }
    }
    throw new IllegalArgumentException("ldap.vendor must be openldap or active-directory");
  }

  public String settingName() {
    return settingName;
  }

  /** The value of Keycloak's {@code vendor} setting for this profile. */
  public String keycloakVendor() {
    return keycloakVendor;
  }

  public String usernameAttribute() {
    return usernameAttribute;
  }

  public String rdnAttribute() {
    return rdnAttribute;
  }

  public String uuidAttribute() {
    return uuidAttribute;
  }

  public List<String> userObjectClasses() {
    return userObjectClasses;
  }

  public String groupObjectClass() {
    return groupObjectClass;
  }
}
