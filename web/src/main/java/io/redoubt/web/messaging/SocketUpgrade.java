package io.redoubt.web.messaging;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Lets go of what the HTTP request that opened a socket leaves behind in the server. Undertow keeps
 * the HTTP connection a WebSocket was upgraded from for the socket's whole life (its conduits refer
 * to it), and with it two things of no use once the upgrade is done:
 *
 * <ul>
 *   <li>the upgrade listener, which holds the upgrade's exchange: request and response with their
 *       headers (about 3.8 KB when the upgrade went through the servlet chain);
 *   <li>the HTTP read listener and its parser state, whose buffers grew to the longest header the
 *       connection ever parsed: with the JDK's client, which sends the ticket request and the
 *       upgrade over one connection, that is the request's bearer token and device proof (about 3
 *       KB, and a copy of a credential kept for as long as the socket lives).
 * </ul>
 *
 * <p>The first is read once, when the upgrade is handled, and the second is used only for HTTP
 * requests, which an upgraded connection no longer has. Undertow offers no API to drop them, so
 * {@link #release} clears the two fields by reflection once the socket is open; on an Undertow
 * without them nothing is released and the socket works as before (only the memory stays). That is
 * said once, as a warning naming {@link #RELEASE_FAILED}, so that a WildFly upgrade which changed
 * them shows in the server log and fails the integration test that looks for it.
 */
final class SocketUpgrade {

  private static final Logger LOG = Logger.getLogger(SocketUpgrade.class.getName());

  /** The start of the one warning logged when the leftovers cannot be released. */
  static final String RELEASE_FAILED = "Sockets keep what their HTTP upgrade left behind";

  private static final AtomicBoolean WARNED = new AtomicBoolean();

  /** HttpServerConnection's fields that outlive their use after an upgrade. */
  static final String[] UPGRADE_LEFTOVERS = {"upgradeListener", "readListener"};

  private SocketUpgrade() {}

  /**
   * Called once the socket is open, so after the upgrade was handled: drops the upgrade's leftovers
   * from the HTTP connection it came over (Undertow's {@code HttpServerConnection}).
   */
  static void release(Object connection) {
    if (connection == null) {
      warnOnce("no HTTP connection for the upgrade", null);
      return;
    }
    clear(connection, UPGRADE_LEFTOVERS);
  }

  /** Sets the named reference fields of {@code target} (declared by its class) to null. */
  static void clear(Object target, String... fields) {
    for (String name : fields) {
      try {
        Field field = target.getClass().getDeclaredField(name);
        if (!field.getType().isPrimitive()) {
          field.setAccessible(true);
          field.set(target, null);
        }
      } catch (ReflectiveOperationException | RuntimeException e) {
        warnOnce("cannot clear " + target.getClass().getName() + "." + name, e);
      }
    }
  }

  private static void warnOnce(String what, Throwable cause) {
    Level level = WARNED.compareAndSet(false, true) ? Level.WARNING : Level.FINE;
    LOG.log(
        level,
        RELEASE_FAILED
            + " ("
            + what
            + "): about 7 KB more per idle socket. Undertow's internals changed; see"
            + " SocketUpgrade.",
        cause);
  }
}
