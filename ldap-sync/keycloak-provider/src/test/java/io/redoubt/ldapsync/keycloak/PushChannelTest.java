package io.redoubt.ldapsync.keycloak;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HashMap;
import java.util.Map;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.Test;
import org.keycloak.events.admin.OperationType;
import org.keycloak.events.admin.ResourceType;

class PushChannelTest {

  private static Map<String, String> options() {
    Map<String, String> o = new HashMap<>();
    o.put("redoubt-url", "https://redoubt.example:8443/");
    o.put("token-url", "https://kc.example/realms/redoubt/protocol/openid-connect/token");
    o.put("client-secret", "env:REDOUBT_EVENTS_SECRET");
    return o;
  }

  @Test
  void settingsHaveSafeDefaultsAndPostToTheEventsResource() {
    PushSettings s = PushSettings.read(options()::get);
    assertThat(s.eventsUri()).hasToString("https://redoubt.example:8443/api/v1/directory-events");
    assertThat(s.realms()).containsExactly("redoubt");
    assertThat(s.clientId()).isEqualTo("redoubt-directory-events");
    assertThat(s.queueCapacity()).isEqualTo(10_000);
    assertThat(s.caFile()).isEmpty();
  }

  @Test
  void plainHttpAndLiteralSecretsAreRefused() {
    Map<String, String> http = options();
    http.put("redoubt-url", "http://redoubt.example/");
    assertThatThrownBy(() -> PushSettings.read(http::get)).hasMessageContaining("https://");

    Map<String, String> literal = options();
    literal.put("client-secret", "hunter2hunter2hunter2");
    assertThatThrownBy(() -> PushSettings.read(literal::get))
        .hasMessageContaining("reference")
        .hasMessageNotContaining("hunter2");
  }

  @Test
  void aHintCarriesOnlyRealmUserAndKindAsJson() {
    DirectoryHint hint =
        new DirectoryHint("red\"oubt", "4f1c-\\id", DirectoryHint.Kind.USER_REMOVED);
    assertThat(hint.toJson())
        .isEqualTo(
            "{\"realm\":\"red\\\"oubt\",\"userId\":\"4f1c-\\\\id\",\"kind\":\"USER_REMOVED\"}");
  }

  @Test
  void adminEventsAboutUsersAndMembershipsBecomeHints() {
    assertThat(DirectoryEventListenerProvider.kindOf(ResourceType.USER, OperationType.UPDATE))
        .isEqualTo(DirectoryHint.Kind.USER_UPDATED);
    assertThat(DirectoryEventListenerProvider.kindOf(ResourceType.USER, OperationType.DELETE))
        .isEqualTo(DirectoryHint.Kind.USER_REMOVED);
    assertThat(
            DirectoryEventListenerProvider.kindOf(
                ResourceType.GROUP_MEMBERSHIP, OperationType.DELETE))
        .isEqualTo(DirectoryHint.Kind.GROUP_LEFT);
    assertThat(DirectoryEventListenerProvider.kindOf(ResourceType.CLIENT, OperationType.UPDATE))
        .isNull();
    assertThat(DirectoryEventListenerProvider.userIdOf("users/abc-1/groups/g-2"))
        .isEqualTo("abc-1");
    assertThat(DirectoryEventListenerProvider.userIdOf("users/abc-1")).isEqualTo("abc-1");
    assertThat(DirectoryEventListenerProvider.userIdOf("groups/g-2")).isNull();
  }

  @Test
  void aFullQueueDropsInsteadOfBlockingAndOneUserWaitsOnce() throws Exception {
    Map<String, String> o = options();
    o.put("queue-capacity", "2");
    // Not started: nothing drains the queue, as when Redoubt is down for long.
    try (HintSender sender =
        new HintSender(PushSettings.read(o::get), "not-a-real-secret", SSLContext.getDefault())) {
      assertThat(sender.offer(hint("a"))).isTrue();
      assertThat(sender.offer(hint("a"))).as("same user already waiting").isTrue();
      assertThat(sender.offer(hint("b"))).isTrue();
      long started = System.nanoTime();
      assertThat(sender.offer(hint("c"))).isFalse();
      // A blocking offer would wait forever here (nothing drains the queue); the bound only has to
      // tell that apart from the first drop's warning being logged on a loaded machine (130 ms
      // seen on a shared 2-core host, where 50 ms failed).
      assertThat(System.nanoTime() - started).isLessThan(1_000_000_000L);
      assertThat(sender.waiting()).isEqualTo(2);
      assertThat(sender.dropped()).isEqualTo(1);
    }
  }

  private static DirectoryHint hint(String user) {
    return new DirectoryHint("redoubt", user, DirectoryHint.Kind.USER_UPDATED);
  }
}
