package io.redoubt.tls;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.util.logging.Level;
import java.util.logging.Logger;
import javax.net.ssl.SSLEngine;
import org.bouncycastle.tls.ByteQueue;
import org.bouncycastle.tls.ByteQueueOutputStream;
import org.bouncycastle.tls.TlsProtocol;

/**
 * Lets a Bouncy Castle {@link SSLEngine} give back the buffers it no longer needs.
 *
 * <p>In engine mode (how WildFly's Undertow drives TLS) Bouncy Castle's protocol passes every
 * connection's data through two {@link ByteQueue}s: the application data of the last record opened,
 * and the records sealed and not yet taken. (A third, for the bytes of incomplete records, stays
 * empty: the engine passes whole records only.) Each grows to the largest record it ever held (to
 * the next power of two, at least 512 bytes) and never shrinks: about 3 KB of empty buffers in a
 * socket that only ever carried its HTTP upgrade and a few frames, and up to 32 KB in each
 * direction once a socket has carried full 16 KB records, kept for as long as the socket stays
 * open. In its blocking socket mode Bouncy Castle shrinks its handshake and alert queues itself;
 * {@link ByteQueue#shrink()} is public, but nothing calls it for these two.
 *
 * <p>{@link #releaseInbound} and {@link #releaseOutbound} call it, for queues that are empty only:
 * a queue that still holds bytes keeps them, and {@code shrink()} of an empty queue drops nothing
 * but its array. The next record allocates one again, as the first did.
 *
 * <p>The queues are private to Bouncy Castle. They are reached through {@link VarHandle}s, which
 * need the server JVM to open two of its packages to this module only ({@code --add-opens
 * org.bouncycastle.fips.tls/org.bouncycastle.tls=io.redoubt.tls} and the same for {@code
 * org.bouncycastle.jsse.provider}). Where they cannot be reached (a Bouncy Castle release that
 * renamed them, or the opens missing), nothing is released, TLS works as before, and one warning
 * starting with {@link #UNAVAILABLE} says so.
 *
 * <p>Callers hold the engine's monitor: Bouncy Castle's engine synchronises its {@code wrap} and
 * {@code unwrap} on itself, so no record is being added while a queue is released.
 */
final class EngineBuffers {

  private static final Logger LOG = Logger.getLogger(EngineBuffers.class.getName());

  /** The start of the one warning logged when the queues cannot be reached. */
  static final String UNAVAILABLE = "TLS connections keep their idle buffers";

  private static final String ENGINE_CLASS = "org.bouncycastle.jsse.provider.ProvSSLEngine";

  private static final Handles HANDLES = Handles.find();

  private EngineBuffers() {}

  /** Whether this JVM lets the buffers be released (see the class comment). */
  static boolean available() {
    return HANDLES != null;
  }

  /**
   * Releases the engine's inbound queue if it is empty: application data opened and not yet taken.
   * The caller holds the engine's monitor.
   */
  static void releaseInbound(SSLEngine engine) {
    TlsProtocol protocol = protocol(engine);
    if (protocol != null) {
      releaseIfEmpty((ByteQueue) HANDLES.applicationData.get(protocol));
    }
  }

  /**
   * Releases the engine's outbound queue if it is empty: records sealed and not yet taken. The
   * caller holds the engine's monitor.
   */
  static void releaseOutbound(SSLEngine engine) {
    TlsProtocol protocol = protocol(engine);
    if (protocol != null) {
      ByteQueueOutputStream records = (ByteQueueOutputStream) HANDLES.outputRecords.get(protocol);
      if (records != null) {
        releaseIfEmpty(records.getBuffer());
      }
    }
  }

  private static TlsProtocol protocol(SSLEngine engine) {
    if (HANDLES == null || !HANDLES.engineClass.isInstance(engine)) {
      return null;
    }
    // Null before the first wrap or unwrap: the protocol is made by the handshake's start.
    return (TlsProtocol) HANDLES.protocol.get(engine);
  }

  private static void releaseIfEmpty(ByteQueue queue) {
    if (queue != null && queue.available() == 0) {
      queue.shrink();
    }
  }

  /** The fields, found once. */
  private record Handles(
      Class<?> engineClass,
      VarHandle protocol,
      VarHandle applicationData,
      VarHandle outputRecords) {

    /** The handles, or null (with the one warning) when this Bouncy Castle does not allow them. */
    static Handles find() {
      try {
        MethodHandles.Lookup here = MethodHandles.lookup();
        Class<?> engineClass =
            Class.forName(ENGINE_CLASS, false, TlsProtocol.class.getClassLoader());
        MethodHandles.Lookup engines = MethodHandles.privateLookupIn(engineClass, here);
        MethodHandles.Lookup protocols = MethodHandles.privateLookupIn(TlsProtocol.class, here);
        return new Handles(
            engineClass,
            engines.findVarHandle(engineClass, "protocol", TlsProtocol.class),
            protocols.findVarHandle(TlsProtocol.class, "applicationDataQueue", ByteQueue.class),
            protocols.findVarHandle(
                TlsProtocol.class, "outputBuffer", ByteQueueOutputStream.class));
      } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
        LOG.log(
            Level.WARNING,
            UNAVAILABLE
                + ": Bouncy Castle's TLS queues cannot be reached ("
                + e
                + "), so each keeps the largest record it held for its connection's life. Check"
                + " that the server JVM opens org.bouncycastle.tls and"
                + " org.bouncycastle.jsse.provider to io.redoubt.tls (standalone.conf); see"
                + " EngineBuffers.",
            e);
        return null;
      }
    }
  }
}
