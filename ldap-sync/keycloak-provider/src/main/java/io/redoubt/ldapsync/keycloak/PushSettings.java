package io.redoubt.ldapsync.keycloak;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Optional;
import java.util.function.Function;

/**
 * The listener's settings, from Keycloak's SPI options ({@code
 * --spi-events-listener--redoubt-directory-events--NAME=VALUE}). The client secret is a reference
 * ({@code env:NAME} or {@code file:/path}), resolved once at start, never a literal in Keycloak's
 * configuration.
 *
 * @param redoubtUrl Redoubt's base URL; hints go to {@code {redoubtUrl}/api/v1/directory-events}
 * @param realms the realms whose changes are pushed (Redoubt serves one)
 * @param tokenUri where the client-credentials token is obtained (Keycloak's own token endpoint)
 * @param clientId the confidential client whose service account may post hints
 * @param secretReference {@code env:NAME} or {@code file:/path}
 * @param caFile PEM certificates to trust for both URLs; empty: the JVM's trust store
 * @param queueCapacity hints waiting at most; beyond that new ones are dropped (and counted)
 * @param maxAttempts tries per hint before it is dropped to the periodic reconciliation
 * @param firstBackoff the wait after the first failure; doubled each time, at most a minute
 */
public record PushSettings(
    URI redoubtUrl,
    java.util.Set<String> realms,
    URI tokenUri,
    String clientId,
    String secretReference,
    Optional<Path> caFile,
    int queueCapacity,
    int maxAttempts,
    Duration firstBackoff) {

  /** Reads the settings through {@code option} (a name to its value, or null). */
  public static PushSettings read(Function<String, String> option) {
    String url = required(option, "redoubt-url");
    String realm = Optional.ofNullable(option.apply("realm")).orElse("redoubt");
    java.util.Set<String> realms = new java.util.LinkedHashSet<>();
    for (String r : realm.split(",")) {
      if (!r.isBlank()) {
        realms.add(r.strip());
      }
    }
    URI redoubt = https(url, "redoubt-url");
    URI token = https(required(option, "token-url"), "token-url");
    String clientId =
        Optional.ofNullable(option.apply("client-id")).orElse("redoubt-directory-events");
    String secret = required(option, "client-secret");
    if (!secret.startsWith("env:") && !secret.startsWith("file:")) {
      throw new IllegalArgumentException(
          "client-secret must be a reference (env:NAME or file:/path), never the secret itself");
    }
    Optional<Path> ca =
        Optional.ofNullable(option.apply("ca-file")).filter(s -> !s.isBlank()).map(Path::of);
    int capacity = integer(option, "queue-capacity", 10_000, 1, 1_000_000);
    int attempts = integer(option, "max-attempts", 8, 1, 100);
    Duration backoff = Duration.ofMillis(integer(option, "first-backoff-ms", 1000, 10, 60_000));
    return new PushSettings(
        redoubt, realms, token, clientId, secret, ca, capacity, attempts, backoff);
  }

  /** Where hints are posted. */
  public URI eventsUri() {
    return URI.create(redoubtUrl.toString().replaceAll("/+$", "") + "/api/v1/directory-events");
  }

  private static String required(Function<String, String> option, String name) {
    String value = option.apply(name);
    if (value == null || value.isBlank()) {
      throw new IllegalArgumentException(
          "the redoubt-directory-events listener needs its '" + name + "' option");
    }
    return value.strip();
  }

  private static URI https(String value, String name) {
    URI uri = URI.create(value);
    // Hints and the client secret cross the network: plain HTTP is refused, not warned about.
    if (!"https".equals(String.valueOf(uri.getScheme()).toLowerCase(Locale.ROOT))
        || uri.getHost() == null) {
      throw new IllegalArgumentException(name + " must be an https:// URL");
    }
    return uri;
  }

  private static int integer(
      Function<String, String> option, String name, int fallback, int min, int max) {
    String value = option.apply(name);
    if (value == null || value.isBlank()) {
      return fallback;
    }
    int parsed;
    try {
      parsed = Integer.parseInt(value.strip());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(name + " must be a whole number", e);
    }
    if (parsed < min || parsed > max) {
      throw new IllegalArgumentException(name + " must be " + min + " to " + max);
    }
    return parsed;
  }
}
