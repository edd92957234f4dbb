package io.redoubt.it;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

/**
 * A second WildFly with the built EAR, started by the test itself beside the one Arquillian holds,
 * on the same database, HSM token and Keycloak, so that a test may kill it with SIGKILL and start
 * it again — as a crash would. Its own base directory (configuration fresh from the build, data
 * kept across restarts as on a real host) and its own port offset.
 */
final class SecondServer implements AutoCloseable {

  /** Port offset: between the suites' 100 and a second suite's 200. */
  static final int PORT_OFFSET = 150;

  static final URI URL = URI.create("https://localhost:" + (8443 + PORT_OFFSET));

  private final Path home = Path.of(System.getProperty("redoubt.server.home"));
  private final Path base;
  private Process process;

  SecondServer(Path base) {
    this.base = base;
  }

  /** Starts the server and waits until it answers {@code /api/v1/info} with 200. */
  void start() throws Exception {
    Files.createDirectories(base);
    Path configuration = base.resolve("configuration");
    if (Files.exists(configuration)) {
      try (Stream<Path> old = Files.walk(configuration)) {
        for (Path path : old.sorted(Comparator.reverseOrder()).toList()) {
          Files.delete(path);
        }
      }
    }
    copyTree(home.resolve("standalone/configuration"), configuration);
    // Arquillian deploys into the provisioned server's own configuration; that deployment's content
    // lives in the other server's data directory. This server deploys from its scanner instead.
    Path standaloneXml = configuration.resolve("standalone.xml");
    Files.writeString(
        standaloneXml,
        Files.readString(standaloneXml).replaceAll("(?s)<deployments>.*?</deployments>", ""));
    Path deployments = Files.createDirectories(base.resolve("deployments"));
    try (Stream<Path> markers = Files.list(deployments)) {
      for (Path marker : markers.toList()) {
        Files.delete(marker);
      }
    }
    Files.copy(
        Path.of(System.getProperty("redoubt.ear")),
        deployments.resolve("redoubt.ear"),
        StandardCopyOption.REPLACE_EXISTING);
    ProcessBuilder builder =
        new ProcessBuilder(
                home.resolve("bin/standalone.sh").toString(),
                "-Djboss.server.base.dir=" + base,
                "-Djboss.socket.binding.port-offset=" + PORT_OFFSET,
                "-b",
                "127.0.0.1",
                "-bmanagement",
                "127.0.0.1")
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(base.resolve("console.log").toFile()));
    builder.environment().put("LAUNCH_JBOSS_IN_BACKGROUND", "1");
    process = builder.start();
    awaitReady(Duration.ofMinutes(3));
  }

  /** SIGKILL to the server's JVM: no shutdown hook, no orderly undeploy, as a crash. */
  void kill() throws Exception {
    List<ProcessHandle> jvms = process.descendants().toList();
    for (ProcessHandle jvm : jvms) {
      jvm.destroyForcibly();
    }
    process.destroyForcibly();
    process.waitFor();
    for (ProcessHandle jvm : jvms) {
      jvm.onExit().get();
    }
  }

  @Override
  public void close() throws Exception {
    if (process != null && process.isAlive()) {
      kill();
    }
  }

  private void awaitReady(Duration patience) throws Exception {
    HttpClient client =
        HttpClient.newBuilder().sslContext(Lab.tls()).connectTimeout(Duration.ofSeconds(2)).build();
    long deadline = System.nanoTime() + patience.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) {
        throw new IllegalStateException(
            "the second server exited; see " + base.resolve("console.log"));
      }
      try {
        HttpResponse<Void> info =
            client.send(
                HttpRequest.newBuilder(URL.resolve("/api/v1/info"))
                    .timeout(Duration.ofSeconds(5))
                    .build(),
                HttpResponse.BodyHandlers.discarding());
        if (info.statusCode() == 200) {
          return;
        }
      } catch (IOException notYet) {
        // not listening yet
      }
      Thread.sleep(500);
    }
    throw new IllegalStateException("the second server did not get ready in " + patience);
  }

  private static void copyTree(Path from, Path to) throws IOException {
    try (Stream<Path> paths = Files.walk(from)) {
      for (Path source : paths.toList()) {
        Path target = to.resolve(from.relativize(source).toString());
        if (Files.isDirectory(source)) {
          Files.createDirectories(target);
        } else {
          Files.copy(source, target, StandardCopyOption.COPY_ATTRIBUTES);
        }
      }
    }
  }
}
