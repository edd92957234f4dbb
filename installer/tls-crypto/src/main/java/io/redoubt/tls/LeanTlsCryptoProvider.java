package io.redoubt.tls;

import java.security.Provider;
import java.security.SecureRandom;
import java.security.Security;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.jcajce.util.ProviderJcaJceHelper;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCryptoProvider;

/**
 * Bouncy Castle's JCA TLS crypto over the FIPS module, with less made and kept for each connection:
 * its public nonces come from one SP 800-90A Hash_DRBG per TLS context (see {@link SharedNonces})
 * instead of one per connection, and its AES-GCM records are protected by the calling thread's
 * cipher instead of two ciphers of its own (see {@link ThreadRecordCiphers}). The server JVM's
 * {@code java.security} names it as the crypto of the JSSE provider:
 *
 * <pre>{@code
 * security.provider.2=org.bouncycastle.jsse.provider.BouncyCastleJsseProvider fips:io.redoubt.tls.LeanTlsCryptoProvider
 * }</pre>
 *
 * <p>The JSSE provider instantiates this class by name while the JVM loads its provider list, so
 * the FIPS provider is looked up on first use, not in the constructor.
 */
public class LeanTlsCryptoProvider extends JcaTlsCryptoProvider {

  /** The JCA name of the Bouncy Castle FIPS provider, which does all the cryptography. */
  public static final String FIPS_PROVIDER = "BCFIPS";

  private volatile JcaJceHelper fips;

  /** For the JSSE provider, which creates it by class name. */
  public LeanTlsCryptoProvider() {}

  /**
   * The FIPS provider's helper, as {@code fips:BCFIPS} would give.
   *
   * @throws IllegalStateException when the FIPS provider is not installed
   */
  @Override
  public JcaJceHelper getHelper() {
    JcaJceHelper helper = fips;
    if (helper == null) {
      Provider provider = Security.getProvider(FIPS_PROVIDER);
      if (provider == null) {
        throw new IllegalStateException(
            "the " + FIPS_PROVIDER + " provider is not installed; TLS cannot start");
      }
      helper = new ProviderJcaJceHelper(provider);
      fips = helper;
    }
    return helper;
  }

  @Override
  public JcaTlsCrypto create(SecureRandom keyRandom, SecureRandom nonceRandom) {
    return new LeanTlsCrypto(getHelper(), getAltHelper(), keyRandom, nonceRandom);
  }
}
