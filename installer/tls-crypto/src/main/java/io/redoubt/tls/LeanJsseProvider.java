package io.redoubt.tls;

import java.security.NoSuchAlgorithmException;
import java.security.Provider;
import java.util.List;

/**
 * A JSSE provider whose TLS contexts are Bouncy Castle's ({@code BCJSSE}, over the FIPS module),
 * with engines that give back the buffers they emptied after every {@code wrap} and {@code unwrap}
 * (see {@link EngineBuffers}). It does no cryptography and no protocol work of its own: it is the
 * provider the server's Elytron TLS context names ({@code provider-name=RedoubtJSSE}), listed in
 * the server JVM's {@code java.security} after Bouncy Castle's, whose contexts it wraps.
 */
public final class LeanJsseProvider extends Provider {

  private static final long serialVersionUID = 1L;

  /** The provider's JCA name. */
  public static final String NAME = "RedoubtJSSE";

  /** The contexts offered: Bouncy Castle's, for the protocols the server may enable. */
  static final List<String> PROTOCOLS = List.of("TLS", "TLSv1.2", "TLSv1.3");

  /** For the JVM, which creates it by class name from {@code java.security}. */
  public LeanJsseProvider() {
    super(NAME, "1.0", "Bouncy Castle JSSE contexts whose engines release idle buffers");
    for (String protocol : PROTOCOLS) {
      putService(new ContextService(this, protocol));
    }
  }

  /** Makes the context itself: the JCA would otherwise need a public class and constructor. */
  private static final class ContextService extends Provider.Service {

    ContextService(Provider provider, String protocol) {
      super(provider, "SSLContext", protocol, LeanSslContext.class.getName(), null, null);
    }

    @Override
    public Object newInstance(Object constructorParameter) throws NoSuchAlgorithmException {
      return new LeanSslContext(getAlgorithm());
    }
  }
}
