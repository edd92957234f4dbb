package io.redoubt.tls;

import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.TlsAEADCipherImpl;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/**
 * Bouncy Castle's {@link JcaTlsCrypto} with less made and kept per connection: the nonces of all
 * its connections come from one DRBG ({@link SharedNonces}), and AES-GCM records are protected by
 * the calling thread's cipher ({@link ThreadRecordCiphers}).
 */
final class LeanTlsCrypto extends JcaTlsCrypto {

  private final SharedNonces nonces;
  private final ThreadRecordCiphers recordCiphers;

  LeanTlsCrypto(
      JcaJceHelper helper,
      JcaJceHelper altHelper,
      SecureRandom keyRandom,
      SecureRandom nonceRandom) {
    super(helper, altHelper, keyRandom, nonceRandom);
    this.nonces = new SharedNonces(nonceRandom);
    this.recordCiphers = new ThreadRecordCiphers(helper, keyRandom);
  }

  /** A connection's nonces, with the connection's seed material as additional input. */
  @Override
  public TlsNonceGenerator createNonceGenerator(byte[] additionalSeedMaterial) {
    return nonces.forConnection(additionalSeedMaterial);
  }

  /** AES-GCM through the thread's cipher; any other AEAD as Bouncy Castle makes it. */
  @Override
  protected TlsAEADCipherImpl createAEADCipher(
      String cipherName, String algorithm, int keySize, boolean isEncrypting)
      throws GeneralSecurityException {
    if (ThreadRecordCiphers.AES_GCM.equals(cipherName) && "AES".equals(algorithm)) {
      return recordCiphers.forConnection(keySize, isEncrypting);
    }
    return super.createAEADCipher(cipherName, algorithm, keySize, isEncrypting);
  }
}
