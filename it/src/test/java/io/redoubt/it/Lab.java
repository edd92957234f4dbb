package io.redoubt.it;

import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.TrustAnchors;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * The lab the integration tests run against: the state directory written by {@code installer/lab
 * services-up} and the server Arquillian started on the same port offset.
 */
final class Lab {

  static final Path STATE = Path.of(System.getProperty("redoubt.lab.state"));
  static final int PORT_OFFSET = Integer.getInteger("redoubt.port.offset", 0);
  static final URI SERVER = URI.create("https://localhost:" + (8443 + PORT_OFFSET));
  static final URI ISSUER = URI.create(System.getenv("REDOUBT_OIDC_ISSUER"));
  static final Path TLS_CERT = STATE.resolve("tls/server-cert.pem");

  private static final Map<String, String> ENV = read(STATE.resolve("env"));
  private static final Map<String, String> SECRETS = read(STATE.resolve("secrets.env"));

  private Lab() {}

  /** A value {@code lab status} prints, e.g. DEMO_PASSWORD or PKCS11_CONFIG. */
  static String env(String key) {
    return require(ENV, key);
  }

  /** A generated lab secret, e.g. HSM_PIN or KEYCLOAK_ADMIN_PASSWORD. */
  static String secret(String key) {
    return require(SECRETS, key);
  }

  static SSLContext tls() {
    try {
      return TrustAnchors.fromPem(TLS_CERT);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  static RedoubtClient client() {
    return new RedoubtClient(SERVER, tls());
  }

  /** A real token from the lab's Keycloak for a demo user (password grant, lab realm only). */
  static AccessToken signIn(String username) throws Exception {
    return new OidcSignIn(ISSUER, "redoubt-cli", tls())
        .withPassword(username, env("DEMO_PASSWORD").toCharArray())
        .access();
  }

  private static String require(Map<String, String> values, String key) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException(key + " missing from the lab state in " + STATE);
    }
    return value;
  }

  private static Map<String, String> read(Path file) {
    try {
      var values = new HashMap<String, String>();
      for (String line : Files.readAllLines(file)) {
        int eq = line.indexOf('=');
        if (eq > 0 && !line.startsWith("#")) {
          values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
      }
      return values;
    } catch (IOException e) {
      throw new UncheckedIOException("lab state not readable (did services-up run?)", e);
    }
  }
}
