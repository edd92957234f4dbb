package io.redoubt.directory;

import io.redoubt.ldapsync.DirectorySettings;
import io.redoubt.ldapsync.KeycloakDirectorySource;
import io.redoubt.ldapsync.LdapDirectory;
import io.redoubt.ldapsync.SecretReference;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * The reconciliation's settings (MicroProfile Config; environment variables such as {@code
 * REDOUBT_DIRECTORY_RECONCILE_INTERVAL} override). The client secret is a reference ({@code
 * env:NAME} or {@code file:/path}), never the secret.
 */
@ApplicationScoped
public class ReconcileSettings {

  @Inject
  @ConfigProperty(name = "redoubt.directory.reconcile.enabled", defaultValue = "true")
  boolean enabled;

  @Inject
  @ConfigProperty(name = "redoubt.directory.reconcile-interval", defaultValue = "PT5M")
  Duration interval;

  @Inject
  @ConfigProperty(name = "redoubt.directory.full-check-interval", defaultValue = "PT15M")
  Duration fullInterval;

  /**
   * The directory settings file that {@code redoubt-ldap-sync} configures Keycloak from, required
   * while the reconciliation is on. The server takes from it the directory's address, bind DN and
   * credential reference (group membership is read from the directory itself), the access groups
   * and the security-group mapping, so that one file says which LDAP groups mean what; read at the
   * start of every run, so that a changed mapping takes effect without a restart.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.settings-file")
  Optional<String> settingsFile;

  /**
   * How often the access groups' members in LDAP are compared with the directory's active users
   * (PT0S: never). A change of group membership in LDAP raises no Keycloak event, so this check,
   * not the push, is what bounds the time to offboard someone removed from an access group.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.membership-check-interval", defaultValue = "PT30S")
  Duration membershipCheckInterval;

  /**
   * Where the server reads the directory's bind password ({@code env:NAME} or {@code file:/path}),
   * if not where the settings file's {@code ldap.bind-credential} says: needed when that is a
   * {@code vault:} reference, which only Keycloak can read.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.ldap-bind-credential")
  Optional<String> ldapBindCredential;

  /** Defaults to the server of the token issuer (redoubt.oidc-issuer). */
  @Inject
  @ConfigProperty(name = "redoubt.directory.keycloak-url")
  Optional<String> keycloakUrl;

  @Inject
  @ConfigProperty(name = "redoubt.oidc-issuer")
  Optional<String> issuer;

  @Inject
  @ConfigProperty(name = "redoubt.directory.client-id", defaultValue = "redoubt-directory-sync")
  String clientId;

  @Inject
  @ConfigProperty(
      name = "redoubt.directory.client-secret",
      defaultValue = "env:REDOUBT_DIRECTORY_SYNC_SECRET")
  String clientSecret;

  /**
   * How many users a page of Keycloak's listing of disabled users holds (a database query per page
   * in Keycloak).
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.page-size", defaultValue = "1000")
  int pageSize;

  /**
   * How long one request to Keycloak may take. Each is a small read now (a page of disabled users,
   * one user, the accounts of 200 people); the default leaves room for a Keycloak that is busy with
   * its own full sync on a loaded host.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.request-timeout", defaultValue = "PT2M")
  Duration requestTimeout;

  @Inject
  @ConfigProperty(name = "redoubt.directory.safety.min-users", defaultValue = "10")
  int safetyMinUsers;

  @Inject
  @ConfigProperty(name = "redoubt.directory.safety.max-fraction", defaultValue = "0.05")
  double safetyFraction;

  @PostConstruct
  void validate() {
    if (interval.compareTo(Duration.ofSeconds(1)) < 0 || fullInterval.compareTo(interval) < 0) {
      throw new IllegalStateException(
          "redoubt.directory.reconcile-interval must be at least 1 s and at most"
              + " redoubt.directory.full-check-interval");
    }
    if (!membershipCheckInterval.isZero()
        && membershipCheckInterval.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalStateException(
          "redoubt.directory.membership-check-interval must be PT0S (off) or at least 1 s");
    }
    if (pageSize < 1 || pageSize > KeycloakDirectorySource.MAX_PAGE_SIZE) {
      throw new IllegalStateException(
          "redoubt.directory.page-size must be 1 to " + KeycloakDirectorySource.MAX_PAGE_SIZE);
    }
    if (requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalStateException("redoubt.directory.request-timeout must be at least 1 s");
    }
    if (enabled && settingsFile.filter(f -> !f.isBlank()).isEmpty()) {
      throw new IllegalStateException(
          "redoubt.directory.settings-file is required while the directory reconciliation is on"
              + " (it names the directory whose groups say who may use Redoubt); or set"
              + " redoubt.directory.reconcile.enabled=false");
    }
    if (safetyMinUsers < 0 || safetyFraction < 0 || safetyFraction > 1) {
      throw new IllegalStateException("redoubt.directory.safety.* out of range");
    }
  }

  public boolean enabled() {
    return enabled;
  }

  public Duration interval() {
    return interval;
  }

  public Duration fullInterval() {
    return fullInterval;
  }

  /**
   * The directory settings file, read now.
   *
   * @throws IOException if it cannot be read
   * @throws IllegalArgumentException if it is not valid (the message names every problem)
   */
  public DirectorySettings directory() throws IOException {
    return DirectorySettings.load(Path.of(settingsFile.orElseThrow().strip()));
  }

  /** Which LDAP groups let their members in, and which security groups follow which group. */
  public static DirectoryGroups groups(DirectorySettings directory) {
    return new DirectoryGroups(directory.accessGroups(), directory.securityGroups());
  }

  /**
   * The directory, bound with the settings' DN and credential: {@code
   * redoubt.directory.ldap-bind-credential} if set, else the settings file's, resolved from this
   * process's environment or a file (never logged).
   */
  public LdapDirectory ldap(DirectorySettings directory) {
    SecretReference credential =
        ldapBindCredential
            .filter(c -> !c.isBlank())
            .map(SecretReference::parse)
            .orElse(directory.bindCredential());
    return new LdapDirectory(directory, credential.resolve(System.getenv()));
  }

  /** Where the groups come from, for the log. */
  public String groupsSource() {
    return "settings file " + settingsFile.orElse("(none)");
  }

  /** Zero when the membership check is off. */
  public Duration membershipCheckInterval() {
    return membershipCheckInterval;
  }

  /** Keycloak's base URL: explicit, or the issuer without its /realms/... path. */
  public String keycloakUrl() {
    return keycloakUrl.orElseGet(
        () -> {
          String iss =
              issuer.orElseThrow(() -> new IllegalStateException("no redoubt.oidc-issuer"));
          int at = iss.indexOf("/realms/");
          return at < 0 ? iss : iss.substring(0, at);
        });
  }

  /** The realm: the one the issuer names. */
  public String realm() {
    String iss = issuer.orElse("");
    int at = iss.indexOf("/realms/");
    return at < 0 ? "redoubt" : iss.substring(at + "/realms/".length()).replaceAll("/.*", "");
  }

  public String clientId() {
    return clientId;
  }

  public String clientSecretReference() {
    return clientSecret;
  }

  public int pageSize() {
    return pageSize;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public SafetyRule safety() {
    return new SafetyRule(safetyMinUsers, safetyFraction);
  }
}
