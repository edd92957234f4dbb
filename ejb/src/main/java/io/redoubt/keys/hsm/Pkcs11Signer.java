package io.redoubt.keys.hsm;

import io.redoubt.keys.HsmSigner;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.EcdsaP384;
import java.security.GeneralSecurityException;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.X509Certificate;
import java.util.List;

/**
 * {@link HsmSigner} over a private key inside a PKCS#11 token. The private key is a handle; the
 * signature is computed by the token (SunPKCS11 hashes in software and signs in the token).
 */
public final class Pkcs11Signer implements HsmSigner {

  private final Pkcs11Token token;
  private final String alias;
  private final PrivateKey key;
  private final List<X509Certificate> chain;

  private Pkcs11Signer(Pkcs11Token token, String alias, PrivateKey key, X509Certificate[] chain) {
    this.token = token;
    this.alias = alias;
    this.key = key;
    this.chain = List.of(chain);
  }

  /**
   * The signer for the key stored under {@code alias}; refuses keys that are not P-384.
   *
   * @throws HsmUnavailableException when the token holds no key (with a certificate) under alias
   */
  public static Pkcs11Signer open(Pkcs11Token token, String alias)
      throws HsmUnavailableException, GeneralSecurityException {
    X509Certificate[] chain = token.certificateChain(alias);
    ProtocolCurves.requireP384(chain[0].getPublicKey());
    return new Pkcs11Signer(token, alias, token.privateKey(alias), chain);
  }

  /**
   * This signer with another certificate chain for the same key: the one pinned in the database,
   * which may be an imported intermediate CA chain rather than the token's self-signed certificate.
   *
   * @throws GeneralSecurityException when the chain's first certificate is for another key
   */
  public Pkcs11Signer withChain(List<X509Certificate> chain) throws GeneralSecurityException {
    if (chain.isEmpty()
        || !java.security.MessageDigest.isEqual(
            chain.get(0).getPublicKey().getEncoded(), certificate().getPublicKey().getEncoded())) {
      throw new GeneralSecurityException("the chain does not certify the key '" + alias + "'");
    }
    return new Pkcs11Signer(token, alias, key, chain.toArray(X509Certificate[]::new));
  }

  /** The token label of the key. */
  public String alias() {
    return alias;
  }

  @Override
  public byte[] sign(byte[] message) throws HsmUnavailableException {
    try {
      Signature signature = Signature.getInstance(EcdsaP384.ALGORITHM, token.provider());
      signature.initSign(key);
      signature.update(message);
      return signature.sign();
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("the HSM cannot sign with key '" + alias + "'", e);
    }
  }

  @Override
  public X509Certificate certificate() {
    return chain.get(0);
  }

  /** The certificate chain stored with the key, its own certificate first. */
  public List<X509Certificate> certificateChain() {
    return chain;
  }
}
