package io.redoubt.tls;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * Bouncy Castle's {@link SSLEngine}, unchanged except that after every {@code wrap} and {@code
 * unwrap} the queues it emptied give their arrays back (see {@link EngineBuffers}). Everything else
 * is the Bouncy Castle engine's own: handshakes, records, sessions and parameters.
 */
final class LeanSslEngine extends SSLEngine {

  private final SSLEngine engine;

  /** The caller's ALPN selector, as given; guarded by the engine's monitor. */
  private BiFunction<SSLEngine, List<String>, String> selector;

  /**
   * @param engine Bouncy Castle's engine, which does all the work
   */
  LeanSslEngine(SSLEngine engine) {
    super(engine.getPeerHost(), engine.getPeerPort());
    this.engine = engine;
  }

  /** The Bouncy Castle engine underneath. */
  SSLEngine bouncyCastleEngine() {
    return engine;
  }

  @Override
  public SSLEngineResult wrap(ByteBuffer[] sources, int offset, int length, ByteBuffer records)
      throws SSLException {
    // The engine's own monitor, which its wrap holds too: no record comes between the two calls.
    synchronized (engine) {
      SSLEngineResult result = engine.wrap(sources, offset, length, records);
      EngineBuffers.releaseOutbound(engine);
      return result;
    }
  }

  @Override
  public SSLEngineResult unwrap(ByteBuffer records, ByteBuffer[] targets, int offset, int length)
      throws SSLException {
    synchronized (engine) {
      SSLEngineResult result = engine.unwrap(records, targets, offset, length);
      EngineBuffers.releaseInbound(engine);
      return result;
    }
  }

  @Override
  public Runnable getDelegatedTask() {
    return engine.getDelegatedTask();
  }

  @Override
  public void closeInbound() throws SSLException {
    engine.closeInbound();
  }

  @Override
  public boolean isInboundDone() {
    return engine.isInboundDone();
  }

  @Override
  public void closeOutbound() {
    engine.closeOutbound();
  }

  @Override
  public boolean isOutboundDone() {
    return engine.isOutboundDone();
  }

  @Override
  public String[] getSupportedCipherSuites() {
    return engine.getSupportedCipherSuites();
  }

  @Override
  public String[] getEnabledCipherSuites() {
    return engine.getEnabledCipherSuites();
  }

  @Override
  public void setEnabledCipherSuites(String[] suites) {
    engine.setEnabledCipherSuites(suites);
  }

  @Override
  public String[] getSupportedProtocols() {
    return engine.getSupportedProtocols();
  }

  @Override
  public String[] getEnabledProtocols() {
    return engine.getEnabledProtocols();
  }

  @Override
  public void setEnabledProtocols(String[] protocols) {
    engine.setEnabledProtocols(protocols);
  }

  @Override
  public SSLSession getSession() {
    return engine.getSession();
  }

  @Override
  public SSLSession getHandshakeSession() {
    return engine.getHandshakeSession();
  }

  @Override
  public void beginHandshake() throws SSLException {
    engine.beginHandshake();
  }

  @Override
  public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
    return engine.getHandshakeStatus();
  }

  @Override
  public void setUseClientMode(boolean client) {
    engine.setUseClientMode(client);
  }

  @Override
  public boolean getUseClientMode() {
    return engine.getUseClientMode();
  }

  @Override
  public void setNeedClientAuth(boolean need) {
    engine.setNeedClientAuth(need);
  }

  @Override
  public boolean getNeedClientAuth() {
    return engine.getNeedClientAuth();
  }

  @Override
  public void setWantClientAuth(boolean want) {
    engine.setWantClientAuth(want);
  }

  @Override
  public boolean getWantClientAuth() {
    return engine.getWantClientAuth();
  }

  @Override
  public void setEnableSessionCreation(boolean enable) {
    engine.setEnableSessionCreation(enable);
  }

  @Override
  public boolean getEnableSessionCreation() {
    return engine.getEnableSessionCreation();
  }

  @Override
  public SSLParameters getSSLParameters() {
    return engine.getSSLParameters();
  }

  @Override
  public void setSSLParameters(SSLParameters parameters) {
    engine.setSSLParameters(parameters);
  }

  @Override
  public String getApplicationProtocol() {
    return engine.getApplicationProtocol();
  }

  @Override
  public String getHandshakeApplicationProtocol() {
    return engine.getHandshakeApplicationProtocol();
  }

  /**
   * Bouncy Castle calls the selector with its own engine; the caller's selector is given this one,
   * the engine it knows.
   */
  @Override
  public void setHandshakeApplicationProtocolSelector(
      BiFunction<SSLEngine, List<String>, String> selector) {
    synchronized (engine) {
      this.selector = selector;
      engine.setHandshakeApplicationProtocolSelector(
          selector == null ? null : (ignored, offered) -> selector.apply(this, offered));
    }
  }

  @Override
  public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
    synchronized (engine) {
      return selector;
    }
  }

  @Override
  public String toString() {
    return "LeanSslEngine[" + engine + "]";
  }
}
