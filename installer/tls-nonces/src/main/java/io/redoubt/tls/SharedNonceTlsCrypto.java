package io.redoubt.tls;

import java.security.SecureRandom;
import org.bouncycastle.jcajce.util.JcaJceHelper;
import org.bouncycastle.tls.crypto.TlsNonceGenerator;
import org.bouncycastle.tls.crypto.impl.jcajce.JcaTlsCrypto;

/** Bouncy Castle's {@link JcaTlsCrypto} with the nonces of all its connections from one DRBG. */
final class SharedNonceTlsCrypto extends JcaTlsCrypto {

  private final SharedNonces nonces;

  SharedNonceTlsCrypto(
      JcaJceHelper helper,
      JcaJceHelper altHelper,
      SecureRandom keyRandom,
      SecureRandom nonceRandom) {
    super(helper, altHelper, keyRandom, nonceRandom);
    this.nonces = new SharedNonces(nonceRandom);
  }

  /** A connection's nonces, with the connection's seed material as additional input. */
  @Override
  public TlsNonceGenerator createNonceGenerator(byte[] additionalSeedMaterial) {
    return nonces.forConnection(additionalSeedMaterial);
  }
}
