package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Json;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.Tokens;
import io.redoubt.client.transparency.MonitorState;
import java.io.IOException;
import java.io.Reader;
import java.math.BigInteger;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.Optional;
import java.util.Properties;
import java.util.UUID;

/**
 * One named profile: which server, which identity provider, and the current tokens. Lives in {@code
 * <home>/<name>/}, a directory only its owner can enter.
 */
final class Profile {

  private static final String SETTINGS = "profile.properties";
  private static final String TOKENS = "tokens.properties";
  private static final String PINS = "pins.json";
  private static final String TRANSPARENCY = "transparency.json";
  private static final String DEVICE = "device.properties";
  private static final String REVOCATIONS = "revocations.properties";
  private static final String SEEN = "seen-messages.properties";

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

  /** The organisation certificates pinned at first sign-in; empty for a profile made before. */
  Optional<OrganisationPins> pins() throws IOException {
    return readJson(PINS, OrganisationPins.class);
  }

  void save(OrganisationPins pins) throws IOException {
    writeJson(PINS, pins);
  }

  /** The profile's view of the transparency log; empty before the first sign-in that made it. */
  Optional<MonitorState> transparency() throws IOException {
    return readJson(TRANSPARENCY, MonitorState.class);
  }

  void save(MonitorState state) throws IOException {
    writeJson(TRANSPARENCY, state);
  }

  /**
   * The highest revocation-list number this profile accepted; a list with a lower number is an
   * older list replayed, and is refused.
   */
  Optional<BigInteger> highestRevocationListNumber() throws IOException {
    String number = read(REVOCATIONS).getProperty("highest-number");
    return number == null ? Optional.empty() : Optional.of(new BigInteger(number));
  }

  /** Records {@code number} unless a higher one was recorded before. */
  void saveRevocationListNumber(BigInteger number) throws IOException {
    Optional<BigInteger> highest = highestRevocationListNumber();
    if (highest.isEmpty() || number.compareTo(highest.get()) > 0) {
      Properties properties = new Properties();
      properties.setProperty("highest-number", number.toString());
      write(REVOCATIONS, properties);
    }
  }

  /** This profile's device: its id and name; empty before {@code device enroll} starts. */
  Optional<DeviceRecord> device() throws IOException {
    Properties properties = read(DEVICE);
    String id = properties.getProperty("deviceId");
    return id == null
        ? Optional.empty()
        : Optional.of(
            new DeviceRecord(
                UUID.fromString(id),
                properties.getProperty("name"),
                Boolean.parseBoolean(properties.getProperty("enrolled"))));
  }

  void save(DeviceRecord device) throws IOException {
    Properties properties = new Properties();
    properties.setProperty("deviceId", device.deviceId().toString());
    properties.setProperty("name", device.name());
    properties.setProperty("enrolled", Boolean.toString(device.enrolled()));
    write(DEVICE, properties);
  }

  /** The BCFKS key store of this profile's device. */
  Path deviceKeyStore() {
    return directory.resolve("device-keys.bcfks");
  }

  /** The encrypted vault of this profile's prekeys. */
  Path prekeyVault() {
    return directory.resolve("prekeys.vault");
  }

  /**
   * The ids of verified messages this device showed, with their expiry, so that a redelivery is
   * dropped; expired ids are forgotten (the server deleted every copy by then).
   */
  io.redoubt.client.messaging.SeenMessages seenMessages(Instant now) throws IOException {
    Properties stored = read(SEEN);
    java.util.Map<UUID, Instant> seen = new java.util.HashMap<>();
    for (String id : stored.stringPropertyNames()) {
      Instant expiresAt = Instant.ofEpochMilli(Long.parseLong(stored.getProperty(id)));
      if (expiresAt.isAfter(now)) {
        seen.put(UUID.fromString(id), expiresAt);
      }
    }
    return new io.redoubt.client.messaging.SeenMessages() {
      @Override
      public boolean contains(UUID messageId) {
        return seen.containsKey(messageId);
      }

      @Override
      public void add(UUID messageId, Instant expiresAt) throws IOException {
        seen.put(messageId, expiresAt);
        store();
      }

      @Override
      public void forget(UUID messageId) throws IOException {
        if (seen.remove(messageId) != null) {
          store();
        }
      }

      private void store() throws IOException {
        Properties properties = new Properties();
        seen.forEach(
            (id, at) -> properties.setProperty(id.toString(), Long.toString(at.toEpochMilli())));
        write(SEEN, properties);
      }
    };
  }

  void forgetTokens() throws IOException {
    Files.deleteIfExists(directory.resolve(TOKENS));
  }

  private <T> Optional<T> readJson(String file, Class<T> type) throws IOException {
    Path path = directory.resolve(file);
    return Files.exists(path)
        ? Optional.of(Json.READER.readValue(path.toFile(), type))
        : Optional.empty();
  }

  private void writeJson(String file, Object value) throws IOException {
    write(file, Json.WRITER.withDefaultPrettyPrinter().writeValueAsBytes(value));
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
    var text = new java.io.StringWriter();
    properties.store(text, null);
    write(file, text.toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
  }

  private void write(String file, byte[] content) throws IOException {
    Files.createDirectories(directory);
    setOwnerOnly(directory, "rwx------");
    Path temporary = Files.createTempFile(directory, file, ".tmp");
    setOwnerOnly(temporary, "rw-------");
    Files.write(temporary, content);
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

  /**
   * This profile's device.
   *
   * @param enrolled false while an enrollment was started but not verified and installed
   */
  record DeviceRecord(UUID deviceId, String name, boolean enrolled) {}

  /** What {@code redoubt login} established. {@code caFile} may be null (the JDK's trust store). */
  record Settings(URI server, URI issuer, String clientId, String username, Path caFile) {}
}
