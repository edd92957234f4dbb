package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.ldapsync.DirectorySettings;
import io.redoubt.ldapsync.KeycloakAccount;
import io.redoubt.ldapsync.KeycloakAdminApi;
import io.redoubt.ldapsync.KeycloakDirectorySource;
import io.redoubt.ldapsync.LdapDirectory;
import java.net.URI;
import java.net.http.HttpRequest;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/**
 * Redoubt's accounts endpoint in the real Keycloak the lab installs ({@code redoubt-directory}, in
 * the provider jar): it answers, for the reconciliation's service account, the ids Keycloak's own
 * admin API has and the entry ids slapd has; it answers nobody who may not view users. Proves too
 * that the endpoint's queries still match this Keycloak's tables.
 */
class KeycloakAccountsIT {

  private static final String ACCOUNTS =
      "/admin/realms/redoubt/redoubt-directory/accounts/by-username";

  private static KeycloakDirectorySource asTheReconciliation() throws Exception {
    String issuer = Lab.ISSUER.toString();
    KeycloakAdminApi api =
        KeycloakAdminApi.withClientCredentials(
            URI.create(issuer.substring(0, issuer.indexOf("/realms/"))),
            "redoubt",
            Lab.tls(),
            "redoubt-directory-sync",
            Lab.secret("DIRECTORY_SYNC_SECRET"));
    return new KeycloakDirectorySource(api, 100);
  }

  @Test
  void answersKeycloaksIdsAndSlapdsEntryIdsForTheUsernamesAsked() throws Exception {
    Map<String, String> entryIds = new HashMap<>();
    DirectorySettings settings = DirectorySettings.load(DirectoryProvisioningIT.SETTINGS);
    new LdapDirectory(settings, Lab.secret("LDAP_ADMIN_PASSWORD"), 1000)
        .memberPeople(
            List.of("redoubt-users"),
            chunk -> chunk.forEach(person -> entryIds.put(person.username(), person.uuid())));
    assertThat(entryIds).containsKeys("alice", "bob");

    Optional<List<KeycloakAccount>> answer =
        asTheReconciliation().accountsByUsername(List.of("alice", "BOB", "nobody-at-all"));

    assertThat(answer).as("the provider jar's endpoint is installed").isPresent();
    assertThat(answer.get()).extracting(KeycloakAccount::username).containsOnly("alice", "bob");
    KeycloakAdmin admin = new KeycloakAdmin();
    for (KeycloakAccount account : answer.get()) {
      JsonNode user = admin.get("realms/redoubt/users?exact=true&username=" + account.username());
      assertThat(account.id()).isEqualTo(user.get(0).path("id").asText());
      assertThat(account.enabled()).isTrue();
      assertThat(account.federated()).isTrue();
      assertThat(account.ldapId())
          .as("Keycloak's LDAP_ID is slapd's entryUUID")
          .isNotNull()
          .isEqualTo(entryIds.get(account.username()));
      assertThat(account.isEntry(entryIds.get(account.username()))).isTrue();
    }
  }

  @Test
  void answersNobodyWhoMayNotViewUsers() throws Exception {
    String body = "[\"alice\"]";
    assertThat(post(body, null)).isEqualTo(401);
    // A Redoubt administrator is no Keycloak administrator.
    assertThat(post(body, Lab.signIn("ann").value())).isEqualTo(403);
  }

  @Test
  void refusesAnEmptyOrMalformedQuestion() throws Exception {
    String admin = new KeycloakAdmin().token();
    assertThat(post("[]", admin)).isEqualTo(400);
    assertThat(post("[\"\"]", admin)).isEqualTo(400);
    assertThat(post("{\"username\":\"alice\"}", admin)).isEqualTo(400);
  }

  private static int post(String body, String token) throws Exception {
    String issuer = Lab.ISSUER.toString();
    HttpRequest.Builder request =
        HttpRequest.newBuilder(
                URI.create(issuer.substring(0, issuer.indexOf("/realms/")) + ACCOUNTS))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (token != null) {
      request.header("Authorization", "Bearer " + token);
    }
    return Http.send(request).statusCode();
  }
}
