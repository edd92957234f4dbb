package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Tokens;
import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;

/**
 * One named profile: which server, which identity provider, and the current tokens. Lives in {@code
 * <home>/<name>/}, a directory only its owner can enter.
 */
final class Profile {

  private static final String SETTINGS = "profile.properties";
  private static final String TOKENS = "tokens.properties";

  private final Path directory;

  private Profile(Path directory) {
    this.directory = directory;
  }

  /** The profile {@code name} under {@code home}; nothing is created until something is saved. */
  static Profile named(Path home, String name) {
    if (!name.matches("[A-Za-z0-9._-]{1,64}")) {
      throw new IllegalArgumentException(
          "profile names are 1-64 letters, digits, '.', '_' or '-': " + name);
    }
    return new Profile(home.resolve(name));
  }

  Path directory() {
    return directory;
  }

  /** Where the profile points; empty when the profile was never signed in. */
  Optional<Settings> settings() throws IOException {
    Properties properties = read(SETTINGS);
    if (properties.isEmpty()) {
      return Optional.empty();
    }
    String ca = properties.getProperty("caFile");
    return Optional.of(
        new Settings(
            URI.create(properties.getProperty("server")),
            URI.create(properties.getProperty("issuer")),
            properties.getProperty("clientId"),
            properties.getProperty("username"),
            ca == null ? null : Path.of(ca)));
  }

  void save(Settings settings) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("server", settings.server().toString());
    properties.setProperty("issuer", settings.issuer().toString());
    properties.setProperty("clientId", settings.clientId());
    if (settings.username() != null) {
      properties.setProperty("username", settings.username());
    }
    if (settings.caFile() != null) {
      properties.setProperty("caFile", settings.caFile().toAbsolutePath().toString());
    }
    write(SETTINGS, properties);
  }

  Optional<Tokens> tokens() throws IOException {
    Properties properties = read(TOKENS);
    String access = properties.getProperty("access");
    if (access == null) {
      return Optional.empty();
    }
    String refreshExpires = properties.getProperty("refreshExpiresAt");
    return Optional.of(
        new Tokens(
            new AccessToken(access, Instant.parse(properties.getProperty("accessExpiresAt"))),
            properties.getProperty("refresh"),
            refreshExpires == null ? null : Instant.parse(refreshExpires)));
  }

  void save(Tokens tokens) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("access", tokens.access().value());
    properties.setProperty("accessExpiresAt", tokens.access().expiresAt().toString());
    if (tokens.refreshToken() != null) {
      properties.setProperty("refresh", tokens.refreshToken());
    }
    if (tokens.refreshExpiresAt() != null) {
      properties.setProperty("refreshExpiresAt", tokens.refreshExpiresAt().toString());
    }
    write(TOKENS, properties);
  }

  void forgetTokens() throws IOException {
    Files.deleteIfExists(directory.resolve(TOKENS));
  }

  private Properties read(String file) throws IOException {
    Properties properties = new Properties();
    Path path = directory.resolve(file);
    if (Files.exists(path)) {
      try (Reader reader = Files.newBufferedReader(path)) {
        properties.load(reader);
      }
    }
    return properties;
  }

  /** Writes through a private temporary file and a rename, so a crash never leaves half a file. */
  private void write(String file, Properties properties) throws IOException {
    Files.createDirectories(directory);
    setOwnerOnly(directory, "rwx------");
    Path temporary = Files.createTempFile(directory, file, ".tmp");
    setOwnerOnly(temporary, "rw-------");
    try (Writer writer = Files.newBufferedWriter(temporary)) {
      properties.store(writer, null);
    }
    Files.move(
        temporary,
        directory.resolve(file),
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void setOwnerOnly(Path path, String permissions) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(permissions));
    } catch (UnsupportedOperationException notPosix) {
      // Windows: the user profile directory is private already.
    }
  }

  /** What {@code redoubt login} established. {@code caFile} may be null (the JDK's trust store). */
  record Settings(URI server, URI issuer, String clientId, String username, Path caFile) {}
}
