package io.redoubt.tls;

import java.security.KeyManagementException;
import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A Bouncy Castle JSSE context whose engines are {@link LeanSslEngine}s. Sockets, sessions and
 * parameters are the Bouncy Castle context's own; its blocking sockets release their queues
 * themselves.
 */
final class LeanSslContext extends SSLContextSpi {

  /** The JCA name of Bouncy Castle's JSSE provider, whose contexts these are. */
  static final String BOUNCY_CASTLE_JSSE = "BCJSSE";

  private final SSLContext context;

  /**
   * @param protocol the context's protocol, as Bouncy Castle's JSSE provider names it
   * @throws NoSuchAlgorithmException when that provider is not installed or has no such context
   */
  LeanSslContext(String protocol) throws NoSuchAlgorithmException {
    Provider jsse = Security.getProvider(BOUNCY_CASTLE_JSSE);
    if (jsse == null) {
      throw new NoSuchAlgorithmException(
          "the " + BOUNCY_CASTLE_JSSE + " provider is not installed; no " + protocol + " context");
    }
    this.context = SSLContext.getInstance(protocol, jsse);
  }

  @Override
  protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
      throws KeyManagementException {
    context.init(keys, trust, random);
  }

  @Override
  protected SSLEngine engineCreateSSLEngine() {
    return new LeanSslEngine(context.createSSLEngine());
  }

  @Override
  protected SSLEngine engineCreateSSLEngine(String host, int port) {
    return new LeanSslEngine(context.createSSLEngine(host, port));
  }

  @Override
  protected SSLSocketFactory engineGetSocketFactory() {
    return context.getSocketFactory();
  }

  @Override
  protected SSLServerSocketFactory engineGetServerSocketFactory() {
    return context.getServerSocketFactory();
  }

  @Override
  protected SSLSessionContext engineGetServerSessionContext() {
    return context.getServerSessionContext();
  }

  @Override
  protected SSLSessionContext engineGetClientSessionContext() {
    return context.getClientSessionContext();
  }

  @Override
  protected SSLParameters engineGetDefaultSSLParameters() {
    return context.getDefaultSSLParameters();
  }

  @Override
  protected SSLParameters engineGetSupportedSSLParameters() {
    return context.getSupportedSSLParameters();
  }
}
