package io.redoubt.client.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.client.AccessToken;
import io.redoubt.client.Tokens;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProfileTest {

  @TempDir Path home;

  @Test
  void remembersWhereItSignedInAndItsTokens() throws Exception {
    Profile profile = Profile.named(home, "work");
    var settings =
        new Profile.Settings(
            URI.create("https://redoubt.example"),
            URI.create("https://sso.example/realms/redoubt"),
            "redoubt-cli",
            "alice",
            Path.of("/etc/ssl/agency-ca.pem"));
    var tokens =
        new Tokens(
            new AccessToken("access-token", Instant.parse("2026-11-30T10:00:00Z")),
            "refresh-token",
            Instant.parse("2026-11-30T18:00:00Z"));

    profile.save(settings);
    profile.save(tokens);

    Profile reopened = Profile.named(home, "work");
    assertThat(reopened.settings()).contains(settings);
    assertThat(reopened.tokens()).contains(tokens);
  }

  @Test
  void onlyItsOwnerCanReadIt() throws Exception {
    Profile profile = Profile.named(home, "work");
    profile.save(new Tokens(new AccessToken("secret", Instant.EPOCH), null, null));

    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(profile.directory())))
        .isEqualTo("rwx------");
    try (var files = Files.list(profile.directory())) {
      files.forEach(
          file -> {
            try {
              assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file)))
                  .as(file.toString())
                  .isEqualTo("rw-------");
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          });
    }
  }

  @Test
  void forgettingTokensKeepsTheSettings() throws Exception {
    Profile profile = Profile.named(home, "work");
    profile.save(
        new Profile.Settings(
            URI.create("https://redoubt.example"), URI.create("https://sso"), "c", null, null));
    profile.save(new Tokens(new AccessToken("a", Instant.EPOCH), null, null));

    profile.forgetTokens();

    assertThat(profile.tokens()).isEmpty();
    assertThat(profile.settings()).isPresent();
  }

  @Test
  void theRevocationListNumberOnlyGoesUp() throws Exception {
    Profile profile = Profile.named(home, "work");
    assertThat(profile.highestRevocationListNumber()).isEmpty();

    profile.saveRevocationListNumber(java.math.BigInteger.valueOf(7));
    profile.saveRevocationListNumber(java.math.BigInteger.valueOf(3));

    assertThat(Profile.named(home, "work").highestRevocationListNumber())
        .contains(java.math.BigInteger.valueOf(7));
  }

  @Test
  void refusesNamesThatWouldEscapeTheHome() {
    assertThatThrownBy(() -> Profile.named(home, "../elsewhere"))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Profile.named(home, "")).isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void anUnusedProfileHasNothing() throws Exception {
    assertThat(Profile.named(home, "fresh").settings()).isEmpty();
    assertThat(Profile.named(home, "fresh").tokens()).isEmpty();
  }
}
