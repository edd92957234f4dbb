package io.redoubt.directory;

import io.redoubt.ldapsync.DirectorySettings;
import io.redoubt.ldapsync.KeycloakDirectorySource;
import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
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

  @Inject
  @ConfigProperty(
      name = "redoubt.directory.access-groups",
      defaultValue = "redoubt-users,redoubt-admins,redoubt-auditors")
  List<String> accessGroups;

  /**
   * The directory settings file that {@code redoubt-ldap-sync} configures Keycloak from. When set,
   * the server takes the access groups and the security-group mapping from it, so that one file
   * says which LDAP groups mean what; read at the start of every run, so that a changed mapping
   * takes effect without a restart.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.settings-file")
  Optional<String> settingsFile;

  /**
   * How often the access groups' member ids are compared with the directory (PT0S: never). Group
   * membership is read live from LDAP by Keycloak and raises no event, so this check, not the push,
   * is what bounds the time to offboard someone removed from an access group.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.membership-check-interval", defaultValue = "PT30S")
  Duration membershipCheckInterval;

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
   * How many members Keycloak is asked for per request. Large, because for an LDAP-mapped group
   * Keycloak resolves every member up to {@code first + max} for each page, at a cost that grows
   * faster than the page: pages of 200 would take it the cube of the group's size (see the
   * directory benchmark). Redoubt reads each answer as it arrives, {@value
   * io.redoubt.ldapsync.KeycloakDirectorySource#CHUNK} users at a time, so a large page costs it no
   * memory.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.page-size", defaultValue = "20000")
  int pageSize;

  /**
   * How many member pages may be asked for at once while the pages come back full, so that Keycloak
   * resolves them on more than one core.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.pages-in-flight", defaultValue = "2")
  int pagesInFlight;

  /**
   * How long one request to Keycloak may take until its answer starts. Keycloak starts answering a
   * page of an LDAP-mapped group's members only once it has resolved every member up to the page's
   * end, importing those it has not seen yet: in the directory benchmark 5,000 members took 47 s on
   * a quiet two-core host, 10,000 members more than Keycloak's own 5-min transaction limit when two
   * such pages ran at once on a loaded one.
   */
  @Inject
  @ConfigProperty(name = "redoubt.directory.request-timeout", defaultValue = "PT10M")
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
    if (pagesInFlight < 1 || pagesInFlight > KeycloakDirectorySource.MAX_PAGES_IN_FLIGHT) {
      throw new IllegalStateException(
          "redoubt.directory.pages-in-flight must be 1 to "
              + KeycloakDirectorySource.MAX_PAGES_IN_FLIGHT);
    }
    if (requestTimeout.compareTo(Duration.ofSeconds(1)) < 0) {
      throw new IllegalStateException("redoubt.directory.request-timeout must be at least 1 s");
    }
    if (accessGroups.isEmpty()) {
      throw new IllegalStateException("redoubt.directory.access-groups names no group");
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
   * Which Keycloak groups let their members in, and which security groups follow which Keycloak
   * group: from the settings file if one is configured, else the access groups from {@code
   * redoubt.directory.access-groups} and no security groups.
   *
   * @throws IOException if the settings file cannot be read
   * @throws IllegalArgumentException if it is not valid (the message names every problem)
   */
  public DirectoryGroups groups() throws IOException {
    if (settingsFile.isPresent() && !settingsFile.get().isBlank()) {
      DirectorySettings file = DirectorySettings.load(Path.of(settingsFile.get().strip()));
      return new DirectoryGroups(file.accessGroups(), file.securityGroups());
    }
    return new DirectoryGroups(
        accessGroups.stream().map(String::strip).filter(g -> !g.isEmpty()).toList(), Map.of());
  }

  /** Where the groups come from, for the log. */
  public String groupsSource() {
    return settingsFile
        .filter(f -> !f.isBlank())
        .map(f -> "settings file " + f)
        .orElse("redoubt.directory.access-groups " + accessGroups);
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

  public int pagesInFlight() {
    return pagesInFlight;
  }

  public Duration requestTimeout() {
    return requestTimeout;
  }

  public SafetyRule safety() {
    return new SafetyRule(safetyMinUsers, safetyFraction);
  }
}
