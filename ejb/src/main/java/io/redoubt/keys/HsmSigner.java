package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmUnavailableException;
import java.security.cert.X509Certificate;

/**
 * The port through which the application signs with an organisation key: ECDSA P-384 over SHA-384,
 * the private key out of reach of the caller.
 *
 * <p>Two implementations, and only two: {@link io.redoubt.keys.hsm.Pkcs11Signer} (production, the
 * key inside the HSM) and a software signer with a BCFIPS key in memory that exists in unit tests
 * only. Both pass the same contract test. Implementations are thread-safe.
 */
public interface HsmSigner {

  /**
   * Signs {@code message} (hashed with SHA-384 by the signer) and returns the DER-encoded ECDSA
   * signature, verifiable with {@link #certificate()}'s public key.
   */
  byte[] sign(byte[] message) throws HsmUnavailableException;

  /** The self-signed certificate of the key, as pinned in the database. */
  X509Certificate certificate();
}
