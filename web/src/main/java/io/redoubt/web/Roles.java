package io.redoubt.web;

/** The realm roles Redoubt knows. Keycloak grants them through LDAP-mapped groups. */
public final class Roles {
  /** Any member of staff allowed to use Redoubt. */
  public static final String USER = "redoubt-user";

  /** Operates the installation: users, devices, policies. */
  public static final String ADMIN = "redoubt-admin";

  /** Reads the audit trail; changes nothing. */
  public static final String AUDITOR = "redoubt-auditor";

  /**
   * Only Keycloak's event listener (the service account of client redoubt-directory-events): may
   * tell Redoubt that a user changed, nothing else.
   */
  public static final String DIRECTORY_EVENTS = "redoubt-directory-events";

  private Roles() {}
}
