package io.redoubt.bench;

import java.io.IOException;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;

/**
 * What a lab state directory ({@code installer/lab --state DIR up}) tells a benchmark: the public
 * facts in {@code DIR/env} and the generated secrets in {@code DIR/secrets.env} (HSM PIN, database
 * passwords). Values are never printed.
 */
final class LabState {

  final Path dir;
  private final Map<String, String> env;
  private final Map<String, String> secrets;

  private LabState(Path dir, Map<String, String> env, Map<String, String> secrets) {
    this.dir = dir;
    this.env = env;
    this.secrets = secrets;
  }

  static LabState read(Path dir) throws IOException {
    return new LabState(dir, parse(dir.resolve("env")), parse(dir.resolve("secrets.env")));
  }

  String env(String key) {
    return require(env, key, "env");
  }

  String secret(String key) {
    return require(secrets, key, "secrets.env");
  }

  /**
   * The client the benchmarks talk to the lab with: HTTP/1.1 (one request per connection at a time,
   * as the load models assume) over {@code tls}.
   */
  static HttpClient httpClient(SSLContext tls) {
    return HttpClient.newBuilder()
        .sslContext(tls)
        .version(HttpClient.Version.HTTP_1_1)
        .connectTimeout(Duration.ofSeconds(10))
        .build();
  }

  Path tlsCertificate() {
    return Path.of(env("TLS_CERT_PEM"));
  }

  private String require(Map<String, String> values, String key, String file) {
    String value = values.get(key);
    if (value == null) {
      throw new IllegalStateException(key + " missing from " + dir.resolve(file));
    }
    return value;
  }

  private static Map<String, String> parse(Path file) throws IOException {
    Map<String, String> values = new HashMap<>();
    for (String line : Files.readAllLines(file)) {
      int eq = line.indexOf('=');
      if (eq > 0 && !line.startsWith("#")) {
        values.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
      }
    }
    return values;
  }
}
