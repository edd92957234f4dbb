package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.ldapsync.ComponentSpec;
import io.redoubt.ldapsync.KeycloakAdminApi;
import io.redoubt.ldapsync.LdapSyncCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directory configuration as code, against the lab's real Keycloak and slapd: the settings file the
 * lab itself applied at start-up ({@code installer/lab} runs the same command) is applied again,
 * changed and restored. No Redoubt server is needed.
 */
class DirectoryProvisioningIT {

  static final Path SETTINGS = Lab.STATE.resolve("ldap-sync/directory.properties");

  /** The secrets the settings file refers to, as the lab hands them to the command. */
  static final Map<String, String> ENV =
      Map.of(
          "KEYCLOAK_ADMIN_PASSWORD", Lab.secret("KEYCLOAK_ADMIN_PASSWORD"),
          "LAB_LDAP_BIND_CREDENTIAL", Lab.secret("LDAP_ADMIN_PASSWORD"));

  @AfterEach
  void restoreTheLabSettings() throws Exception {
    assertThat(run(SETTINGS).status).isZero();
  }

  @Test
  void applyingTheSameSettingsAgainChangesNothingAndKeepsOneComponent() throws Exception {
    Result first = run(SETTINGS);
    Result second = run(SETTINGS);

    assertThat(first.status).as(first.err).isZero();
    assertThat(second.status).as(second.err).isZero();
    assertThat(second.out).startsWith("unchanged: LDAP federation 'ldap' id=");
    List<JsonNode> federations = federations();
    assertThat(federations).hasSize(1);
    String id = federations.get(0).path("id").asText();
    assertThat(second.out.strip()).endsWith("id=" + id);
    // Read-only federation with the periodic changed-users sync the settings ask for (30 s).
    JsonNode config = federations.get(0).path("config");
    assertThat(config.path("editMode").get(0).asText()).isEqualTo("READ_ONLY");
    assertThat(config.path("changedSyncPeriod").get(0).asText()).isEqualTo("30");
    assertThat(config.path("bindCredential").get(0).asText())
        .as("Keycloak never hands the bind secret back")
        .isEqualTo("**********");
    assertThat(mapperNames(id))
        .containsExactlyInAnyOrder(
            "username",
            "first name",
            "last name",
            "email",
            "creation date",
            "modify date",
            "groups");
  }

  @Test
  void aChangedSettingUpdatesTheSameComponentInPlace(@TempDir Path dir) throws Exception {
    String before = federations().get(0).path("id").asText();
    Path changed = dir.resolve("directory.properties");
    Files.writeString(
        changed,
        Files.readString(SETTINGS)
            .replace("ldap.sync.changed-users-period=30s", "ldap.sync.changed-users-period=45s"));

    Result result = run(changed);

    assertThat(result.status).as(result.err).isZero();
    assertThat(result.out).contains("changed federation 'ldap': changedSyncPeriod");
    List<JsonNode> federations = federations();
    assertThat(federations).hasSize(1);
    assertThat(federations.get(0).path("id").asText()).isEqualTo(before);
    assertThat(federations.get(0).path("config").path("changedSyncPeriod").get(0).asText())
        .isEqualTo("45");
    // Still federating: a directory user signs in with her LDAP password.
    assertThat(Lab.signIn("alice").value()).isNotBlank();
  }

  @Test
  void aDeletedMapperIsRecreatedAndDirectoryUsersSignIn() throws Exception {
    String id = federations().get(0).path("id").asText();
    KeycloakAdminApi api = admin();
    for (JsonNode mapper : mappers(id)) {
      if (mapper.path("name").asText().equals("email")) {
        api.delete("components/" + mapper.path("id").asText());
      }
    }

    Result result = run(SETTINGS);

    assertThat(result.out).contains("changed mapper 'email': created");
    assertThat(mapperNames(id)).contains("email");
    assertThat(Lab.signIn("bob").value()).isNotBlank();
  }

  @Test
  void badSettingsAreRefusedBeforeKeycloakIsTouched(@TempDir Path dir) throws Exception {
    Path bad = dir.resolve("directory.properties");
    Files.writeString(
        bad,
        Files.readString(SETTINGS)
            .replace(
                "ldap.bind-credential=env:LAB_LDAP_BIND_CREDENTIAL",
                "ldap.bind-credential=" + Lab.secret("LDAP_ADMIN_PASSWORD")));

    Result result = run(bad);

    assertThat(result.status).isEqualTo(2);
    assertThat(result.err)
        .contains("ldap.bind-credential")
        .doesNotContain(Lab.secret("LDAP_ADMIN_PASSWORD"));
  }

  record Result(int status, String out, String err) {}

  static Result run(Path settings) {
    var out = new ByteArrayOutputStream();
    var err = new ByteArrayOutputStream();
    int status =
        LdapSyncCommand.run(
            new String[] {"apply", "--settings", settings.toString()},
            ENV,
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(
        status, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  static KeycloakAdminApi admin() {
    String issuer = Lab.ISSUER.toString();
    return KeycloakAdminApi.withPassword(
        java.net.URI.create(issuer.substring(0, issuer.indexOf("/realms/"))),
        "redoubt",
        Lab.tls(),
        "master",
        "admin-cli",
        "admin",
        Lab.secret("KEYCLOAK_ADMIN_PASSWORD"));
  }

  static List<JsonNode> federations() throws Exception {
    KeycloakAdminApi api = admin();
    String realmId = api.realmRepresentation().path("id").asText();
    List<JsonNode> found = new ArrayList<>();
    api.get("components?parent=" + realmId + "&type=" + ComponentSpec.USER_STORAGE)
        .orElseThrow()
        .forEach(found::add);
    return found;
  }

  static List<JsonNode> mappers(String federationId) throws Exception {
    List<JsonNode> found = new ArrayList<>();
    admin()
        .get("components?parent=" + federationId + "&type=" + ComponentSpec.LDAP_MAPPER)
        .orElseThrow()
        .forEach(found::add);
    return found;
  }

  static List<String> mapperNames(String federationId) throws Exception {
    return mappers(federationId).stream().map(m -> m.path("name").asText()).toList();
  }
}
