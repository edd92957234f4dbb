package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import jakarta.websocket.Decoder;
import jakarta.websocket.Encoder;
import jakarta.websocket.EndpointConfig;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SocketUpgradeTest {

  /** Stands in for Undertow's HttpServerConnection: the fields by the same names. */
  static final class HttpConnection {
    Object upgradeListener = new Object();
    Object readListener = new Object();
    final Object channel = new Object();
  }

  @Test
  void releaseDropsTheUpgradeLeftoversAndTheConnectionFromTheSocketsProperties() {
    HttpConnection connection = new HttpConnection();
    EndpointConfig config = config();
    config.getUserProperties().put(SocketUpgrade.HTTP_CONNECTION, connection);

    SocketUpgrade.release(config);

    assertThat(connection.upgradeListener).isNull();
    assertThat(connection.readListener).isNull();
    assertThat(connection.channel).isNotNull(); // the connection itself still carries the socket
    assertThat(config.getUserProperties()).doesNotContainKey(SocketUpgrade.HTTP_CONNECTION);
  }

  @Test
  void anotherServersConnectionIsLeftAsItIs() {
    Object foreign =
        new Object() {
          final Object channel = new Object();
        };
    EndpointConfig config = config();
    config.getUserProperties().put(SocketUpgrade.HTTP_CONNECTION, foreign);

    SocketUpgrade.release(config); // no such fields: nothing to release, and no failure

    assertThat(config.getUserProperties()).isEmpty();
  }

  @Test
  void withoutAHandshakeConnectionNothingHappens() {
    EndpointConfig config = config();

    SocketUpgrade.release(config);

    assertThat(config.getUserProperties()).isEmpty();
  }

  private static EndpointConfig config() {
    Map<String, Object> properties = new HashMap<>();
    return new EndpointConfig() {
      @Override
      public List<Class<? extends Encoder>> getEncoders() {
        return List.of();
      }

      @Override
      public List<Class<? extends Decoder>> getDecoders() {
        return List.of();
      }

      @Override
      public Map<String, Object> getUserProperties() {
        return properties;
      }
    };
  }
}
