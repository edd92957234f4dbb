package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;

import org.junit.jupiter.api.Test;

class SocketUpgradeTest {

  /** Stands in for Undertow's HttpServerConnection: the fields by the same names. */
  static final class HttpConnection {
    Object upgradeListener = new Object();
    Object readListener = new Object();
    final Object channel = new Object();
  }

  @Test
  void releaseDropsTheUpgradeLeftovers() {
    HttpConnection connection = new HttpConnection();

    SocketUpgrade.release(connection);

    assertThat(connection.upgradeListener).isNull();
    assertThat(connection.readListener).isNull();
    assertThat(connection.channel).isNotNull(); // the connection itself still carries the socket
  }

  @Test
  void anotherServersConnectionIsLeftAsItIs() {
    Object foreign =
        new Object() {
          final Object channel = new Object();
        };

    // No such fields: nothing to release, and no failure.
    assertThatCode(() -> SocketUpgrade.release(foreign)).doesNotThrowAnyException();
  }

  @Test
  void withoutAConnectionNothingHappens() {
    assertThatCode(() -> SocketUpgrade.release(null)).doesNotThrowAnyException();
  }
}
