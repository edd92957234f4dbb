package io.redoubt.ldapsync;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Pattern;

/**
 * The directory settings file: one {@code .properties} file that says which LDAP directory Keycloak
 * federates and how. The reference of every key is in docs/directory-sync.adoc; secrets appear as
 * {@link SecretReference}s only. Unknown keys are an error, so that a typo never silently falls
 * back to a default.
 */
public record DirectorySettings(
    URI keycloakUrl,
    String realm,
    Optional<Path> keycloakCaFile,
    String adminRealm,
    String adminClientId,
    Optional<String> adminUsername,
    SecretReference adminSecret,
    String federationName,
    VendorProfile vendor,
    URI ldapUrl,
    boolean startTls,
    String bindDn,
    SecretReference bindCredential,
    String usersDn,
    Optional<String> usersFilter,
    String usernameAttribute,
    String uuidAttribute,
    List<String> userObjectClasses,
    String groupsDn,
    List<String> accessGroups,
    Duration changedUsersSyncPeriod,
    Optional<Duration> fullSyncPeriod,
    Duration connectionTimeout,
    Duration readTimeout,
    Duration userCacheLifespan,
    Map<String, String> securityGroups) {

  /**
   * Prefix of the keys that declare security groups: {@code security-group.NAME=GROUP} makes
   * Redoubt's security group NAME mirror the members of the Keycloak group GROUP (the LDAP group of
   * that name, through the group mapper).
   */
  public static final String SECURITY_GROUP_PREFIX = "security-group.";

  private static final Pattern SECURITY_GROUP_NAME = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

  /** Keycloak's periodic changed-users sync, unless the settings say otherwise. */
  public static final Duration DEFAULT_CHANGED_USERS_PERIOD = Duration.ofSeconds(30);

  /**
   * How long Keycloak may keep a federated user, group list included, in its user cache, unless the
   * settings say otherwise. The group list becomes the token's roles; with Keycloak's default
   * policy a cached copy is kept until evicted, so someone put back into an access group could get
   * tokens without the role for an unbounded time.
   */
  public static final Duration DEFAULT_USER_CACHE_LIFESPAN = Duration.ofMinutes(5);

  /** Keycloak's periodic full sync, unless the settings say otherwise. */
  public static final Duration DEFAULT_FULL_SYNC_PERIOD = Duration.ofDays(1);

  private static final Set<String> KEYS =
      Set.of(
          "keycloak.url",
          "keycloak.realm",
          "keycloak.ca-file",
          "keycloak.admin.realm",
          "keycloak.admin.client-id",
          "keycloak.admin.username",
          "keycloak.admin.password",
          "keycloak.admin.client-secret",
          "ldap.federation-name",
          "ldap.vendor",
          "ldap.url",
          "ldap.start-tls",
          "ldap.bind-dn",
          "ldap.bind-credential",
          "ldap.users-dn",
          "ldap.users-filter",
          "ldap.username-attribute",
          "ldap.uuid-attribute",
          "ldap.user-object-classes",
          "ldap.groups-dn",
          "ldap.access-groups",
          "ldap.sync.changed-users-period",
          "ldap.sync.full-period",
          "ldap.connection-timeout",
          "ldap.read-timeout",
          "ldap.user-cache-lifespan");

  /** Reads and checks a settings file (UTF-8). */
  public static DirectorySettings load(Path file) throws IOException {
    Properties properties = new Properties();
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      properties.load(reader);
    }
    try {
      return parse(properties);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(file + ": " + e.getMessage(), e);
    }
  }

  /**
   * Checks and interprets settings.
   *
   * @throws IllegalArgumentException naming every key that is missing, unknown or invalid
   */
  public static DirectorySettings parse(Properties properties) {
    var reader = new Reader_(properties);
    Set<String> unknown = new TreeSet<>(properties.stringPropertyNames());
    unknown.removeAll(KEYS);
    unknown.removeIf(key -> key.startsWith(SECURITY_GROUP_PREFIX));
    unknown.forEach(key -> reader.errors.add(key + " is not a known setting"));

    URI keycloakUrl = reader.uri("keycloak.url", Set.of("https", "http"));
    String realm = reader.text("keycloak.realm", "redoubt");
    Optional<Path> caFile = reader.optional("keycloak.ca-file").map(Path::of);
    String adminRealm = reader.text("keycloak.admin.realm", "master");
    String adminClientId = reader.text("keycloak.admin.client-id", "admin-cli");
    Optional<String> adminUsername = reader.optional("keycloak.admin.username");
    SecretReference adminSecret =
        adminUsername.isPresent()
            ? reader.secret("keycloak.admin.password")
            : reader.secret("keycloak.admin.client-secret");
    if (adminUsername.isPresent() && properties.containsKey("keycloak.admin.client-secret")) {
      reader.errors.add(
          "keycloak.admin.client-secret and keycloak.admin.username exclude each other");
    }

    String federationName = reader.text("ldap.federation-name", "ldap");
    VendorProfile vendor = reader.vendor();
    URI ldapUrl = reader.uri("ldap.url", Set.of("ldap", "ldaps"));
    boolean startTls = reader.bool("ldap.start-tls", false);
    if (startTls && ldapUrl != null && "ldaps".equals(ldapUrl.getScheme())) {
      reader.errors.add("ldap.start-tls=true needs an ldap:// URL (ldaps:// is TLS already)");
    }
    String bindDn = reader.required("ldap.bind-dn");
    SecretReference bindCredential = reader.secret("ldap.bind-credential");
    String usersDn = reader.required("ldap.users-dn");
    Optional<String> usersFilter = reader.optional("ldap.users-filter");
    usersFilter.ifPresent(
        filter -> {
          if (!filter.startsWith("(") || !filter.endsWith(")")) {
            reader.errors.add("ldap.users-filter must be an LDAP filter in parentheses");
          }
        });
    String usernameAttribute =
        reader.text("ldap.username-attribute", vendor == null ? null : vendor.usernameAttribute());
    String uuidAttribute =
        reader.text("ldap.uuid-attribute", vendor == null ? null : vendor.uuidAttribute());
    List<String> objectClasses =
        reader
            .list("ldap.user-object-classes")
            .orElse(vendor == null ? List.of() : vendor.userObjectClasses());
    String groupsDn = reader.required("ldap.groups-dn");
    List<String> accessGroups = reader.list("ldap.access-groups").orElse(List.of());
    if (accessGroups.isEmpty() && !reader.missing("ldap.access-groups")) {
      reader.errors.add("ldap.access-groups must name at least one group");
    }
    Duration changed =
        reader.period("ldap.sync.changed-users-period").orElse(DEFAULT_CHANGED_USERS_PERIOD);
    Optional<Duration> full =
        "off".equals(properties.getProperty("ldap.sync.full-period", "").strip())
            ? Optional.empty()
            : Optional.of(reader.period("ldap.sync.full-period").orElse(DEFAULT_FULL_SYNC_PERIOD));
    Duration connectTimeout =
        reader.period("ldap.connection-timeout").orElse(Duration.ofSeconds(5));
    Duration readTimeout = reader.period("ldap.read-timeout").orElse(Duration.ofSeconds(10));
    Duration userCacheLifespan =
        reader.period("ldap.user-cache-lifespan").orElse(DEFAULT_USER_CACHE_LIFESPAN);
    Map<String, String> securityGroups = reader.securityGroups();

    if (!reader.errors.isEmpty()) {
      throw new IllegalArgumentException(String.join("; ", reader.errors));
    }
    return new DirectorySettings(
        keycloakUrl,
        realm,
        caFile,
        adminRealm,
        adminClientId,
        adminUsername,
        adminSecret,
        federationName,
        vendor,
        ldapUrl,
        startTls,
        bindDn,
        bindCredential,
        usersDn,
        usersFilter,
        usernameAttribute,
        uuidAttribute,
        List.copyOf(objectClasses),
        groupsDn,
        List.copyOf(accessGroups),
        changed,
        full,
        connectTimeout,
        readTimeout,
        userCacheLifespan,
        Collections.unmodifiableMap(securityGroups));
  }

  /** Collects every problem instead of stopping at the first, so one run shows them all. */
  private static final class Reader_ {
    final Properties properties;
    final List<String> errors = new ArrayList<>();

    Reader_(Properties properties) {
      this.properties = properties;
    }

    boolean missing(String key) {
      String value = properties.getProperty(key);
      return value == null || value.isBlank();
    }

    Optional<String> optional(String key) {
      return missing(key) ? Optional.empty() : Optional.of(properties.getProperty(key).strip());
    }

    String required(String key) {
      if (missing(key)) {
        errors.add(key + " is required");
        return null;
      }
      return properties.getProperty(key).strip();
    }

    String text(String key, String fallback) {
      return optional(key).orElse(fallback);
    }

    boolean bool(String key, boolean fallback) {
      Optional<String> value = optional(key).map(v -> v.toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return fallback;
      }
      if (!value.get().equals("true") && !value.get().equals("false")) {
        errors.add(key + " must be true or false");
        return fallback;
      }
      return Boolean.parseBoolean(value.get());
    }

    URI uri(String key, Set<String> schemes) {
      String value = required(key);
      if (value == null) {
        return null;
      }
      try {
        URI uri = URI.create(value);
        if (uri.getScheme() == null
            || !schemes.contains(uri.getScheme())
            || uri.getHost() == null) {
          errors.add(key + " must be a " + String.join(" or ", new TreeSet<>(schemes)) + " URL");
          return null;
        }
        return uri;
      } catch (IllegalArgumentException e) {
        errors.add(key + " is not a URL");
        return null;
      }
    }

    SecretReference secret(String key) {
      String value = required(key);
      if (value == null) {
        return null;
      }
      try {
        return SecretReference.parse(value);
      } catch (IllegalArgumentException e) {
        errors.add(key + ": " + e.getMessage());
        return null;
      }
    }

    VendorProfile vendor() {
      String value = required("ldap.vendor");
      if (value == null) {
        return null;
      }
      try {
        return VendorProfile.byName(value);
      } catch (IllegalArgumentException e) {
        errors.add(e.getMessage());
        return null;
      }
    }

    Optional<List<String>> list(String key) {
      if (missing(key)) {
        return Optional.empty();
      }
      return Optional.of(
          Arrays.stream(properties.getProperty(key).split(","))
              .map(String::strip)
              .filter(s -> !s.isEmpty())
              .distinct()
              .toList());
    }

    /** Every {@code security-group.NAME=GROUP}, by name. */
    Map<String, String> securityGroups() {
      Map<String, String> groups = new TreeMap<>();
      for (String key : properties.stringPropertyNames()) {
        if (!key.startsWith(SECURITY_GROUP_PREFIX)) {
          continue;
        }
        String name = key.substring(SECURITY_GROUP_PREFIX.length());
        if (!SECURITY_GROUP_NAME.matcher(name).matches()) {
          errors.add(
              key
                  + ": a security group's name is 1 to 64 of a-z 0-9 . _ - (starting with a letter"
                  + " or digit)");
          continue;
        }
        Optional<String> source = optional(key);
        if (source.isEmpty() || source.get().length() > 255) {
          errors.add(key + " must name the LDAP (Keycloak) group, at most 255 characters");
          continue;
        }
        groups.put(name, source.get());
      }
      return groups;
    }

    /** Seconds: {@code 30}, {@code 30s}, {@code 5m}, {@code 1h}, {@code 1d}; at least 1 s. */
    Optional<Duration> period(String key) {
      Optional<String> value = optional(key).map(v -> v.toLowerCase(Locale.ROOT));
      if (value.isEmpty()) {
        return Optional.empty();
      }
      String text = value.get();
      long unit = 1;
      char last = text.charAt(text.length() - 1);
      if (!Character.isDigit(last)) {
        unit =
            switch (last) {
              case 's' -> 1;
              case 'm' -> 60;
              case 'h' -> 3600;
              case 'd' -> 86400;
              default -> -1;
            };
        text = text.substring(0, text.length() - 1);
      }
      try {
        long amount = Long.parseLong(text);
        if (unit > 0 && amount >= 1 && amount <= 366L * 86400 / unit) {
          return Optional.of(Duration.ofSeconds(amount * unit));
        }
      } catch (NumberFormatException e) {
        // reported below
      }
      errors.add(key + " must be a period such as 30s, 5m, 1h or 1d");
      return Optional.empty();
    }
  }
}
