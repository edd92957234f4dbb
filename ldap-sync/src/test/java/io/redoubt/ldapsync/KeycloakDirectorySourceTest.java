package io.redoubt.ldapsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.stream.IntStream;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * How the answers of Redoubt's accounts endpoint are read: a small HTTP server stands in for
 * Keycloak's token and admin endpoints. That the endpoint exists in the real Keycloak, and answers
 * as read here, is proven by DirectorySyncIT against the lab's Keycloak.
 */
class KeycloakDirectorySourceTest {

  private static final String ACCOUNTS =
      "/admin/realms/redoubt/" + KeycloakDirectorySource.ACCOUNTS_BY_USERNAME;

  private HttpServer server;
  private final List<String> requests = Collections.synchronizedList(new ArrayList<>());

  /** Starts a server whose accounts endpoint answers {@code status} with {@code body}. */
  private KeycloakDirectorySource keycloak(int status, String body) throws Exception {
    server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext(
        "/realms/redoubt/protocol/openid-connect/token",
        exchange -> answer(exchange, 200, "{\"access_token\":\"t\",\"expires_in\":300}"));
    server.createContext(
        ACCOUNTS,
        exchange -> {
          requests.add(
              new String(exchange.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
          answer(exchange, status, body);
        });
    server.start();
    URI base = URI.create("http://127.0.0.1:" + server.getAddress().getPort());
    return new KeycloakDirectorySource(
        KeycloakAdminApi.withClientCredentials(
            base, "redoubt", SSLContext.getDefault(), "redoubt-directory-sync", "secret"),
        100);
  }

  private static void answer(com.sun.net.httpserver.HttpExchange exchange, int status, String body)
      throws IOException {
    byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
    exchange.getResponseHeaders().add("Content-Type", "application/json");
    exchange.sendResponseHeaders(status, bytes.length == 0 ? -1 : bytes.length);
    if (bytes.length > 0) {
      exchange.getResponseBody().write(bytes);
    }
    exchange.close();
  }

  @AfterEach
  void stop() {
    if (server != null) {
      server.stop(0);
    }
  }

  @Test
  void readsTheAccountsKeycloakAnswersForTheUsernamesAskedAbout() throws Exception {
    KeycloakDirectorySource keycloak =
        keycloak(
            200,
            "[{\"id\":\"k-1\",\"username\":\"alice\",\"enabled\":true,\"federationLink\":\"ldap-1\","
                + "\"ldapId\":\"e-1\"},"
                + "{\"id\":\"k-2\",\"username\":\"carol\",\"enabled\":false,\"federationLink\":null,"
                + "\"ldapId\":null}]");

    Optional<List<KeycloakAccount>> accounts =
        keycloak.accountsByUsername(List.of("alice", "bob", "carol"));

    assertThat(requests).containsExactly("[\"alice\",\"bob\",\"carol\"]");
    assertThat(accounts)
        .contains(
            List.of(
                new KeycloakAccount("k-1", "alice", true, "ldap-1", "e-1"),
                new KeycloakAccount("k-2", "carol", false, null, null)));
    assertThat(accounts.get().get(0).federated()).isTrue();
    assertThat(accounts.get().get(1).federated()).isFalse();
  }

  @Test
  void aKeycloakWithoutTheExtensionAnswersEmptyNotNobody() throws Exception {
    assertThat(keycloak(404, "").accountsByUsername(List.of("alice"))).isEmpty();
  }

  @Test
  void anAnswerThatIsNotAListOfAccountsFails() throws Exception {
    assertThatThrownBy(() -> keycloak(200, "{\"id\":\"k-1\"}").accountsByUsername(List.of("a")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list");
    stop();
    assertThatThrownBy(() -> keycloak(200, "[\"k-1\"]").accountsByUsername(List.of("a")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("not a list of accounts");
  }

  @Test
  void aRefusalIsAnErrorWithItsStatus() throws Exception {
    assertThatThrownBy(
            () -> keycloak(403, "{\"error\":\"unknown_error\"}").accountsByUsername(List.of("a")))
        .isInstanceOfSatisfying(
            KeycloakAdminApi.KeycloakException.class, e -> assertThat(e.status()).isEqualTo(403));
  }

  @Test
  void asksAboutOneToAThousandUsernamesAtATime() throws Exception {
    KeycloakDirectorySource keycloak = keycloak(200, "[]");
    List<String> tooMany =
        IntStream.rangeClosed(0, KeycloakDirectorySource.MAX_USERNAMES_PER_REQUEST)
            .mapToObj(i -> "u" + i)
            .toList();
    assertThatThrownBy(() -> keycloak.accountsByUsername(List.of()))
        .isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> keycloak.accountsByUsername(tooMany))
        .isInstanceOf(IllegalArgumentException.class);
    assertThat(requests).isEmpty();
    assertThat(keycloak.accountsByUsername(tooMany.subList(1, tooMany.size()))).contains(List.of());
  }

  @Test
  void anAccountIsTheEntryOnlyWithTheSameEntryIdOrWithoutOne() {
    KeycloakAccount account = new KeycloakAccount("k", "alice", true, "ldap", "6F9619FF-8B86");
    assertThat(account.isEntry("6f9619ff-8b86")).isTrue();
    assertThat(account.isEntry(null)).isTrue();
    assertThat(account.isEntry("another")).isFalse();
    assertThat(new KeycloakAccount("k", "alice", true, "ldap", null).isEntry("any")).isTrue();
  }
}
