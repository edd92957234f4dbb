package io.redoubt.keys.hsm;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.Provider;
import java.security.Security;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.util.Arrays;

/**
 * A logged-in session on one PKCS#11 token.
 *
 * <p>Which token, and the attributes that make generated private keys sensitive and
 * non-extractable, are in the SunPKCS11 configuration file, so that moving from SoftHSM2 to a
 * network HSM is a configuration change only. Thread-safe: SunPKCS11 pools sessions itself.
 */
public final class Pkcs11Token {

  private final Provider provider;
  private final KeyStore keyStore;

  private Pkcs11Token(Provider provider, KeyStore keyStore) {
    this.provider = provider;
    this.keyStore = keyStore;
  }

  /**
   * Configures a SunPKCS11 provider from {@code configFile} and logs in with {@code pin}, which is
   * zeroed before this method returns.
   */
  public static Pkcs11Token open(Path configFile, char[] pin) throws HsmUnavailableException {
    try {
      if (!Files.isReadable(configFile)) {
        throw new HsmUnavailableException("PKCS#11 configuration not readable: " + configFile);
      }
      Provider template = Security.getProvider("SunPKCS11");
      if (template == null) {
        throw new HsmUnavailableException(
            "the SunPKCS11 provider is not in the JVM's provider list (java.security)");
      }
      Provider provider = template.configure(configFile.toString());
      KeyStore keyStore = KeyStore.getInstance("PKCS11", provider);
      keyStore.load(null, pin);
      return new Pkcs11Token(provider, keyStore);
    } catch (GeneralSecurityException | IOException | RuntimeException e) {
      // The message never contains the PIN; SunPKCS11 reports CKR_PIN_INCORRECT by name.
      throw new HsmUnavailableException("cannot log in to the PKCS#11 token: " + e.getMessage(), e);
    } finally {
      Arrays.fill(pin, '\0');
    }
  }

  /** The configured SunPKCS11 provider, for signing with this token's keys. */
  public Provider provider() {
    return provider;
  }

  /** True when the token holds a private key with a certificate under {@code alias}. */
  public boolean containsKey(String alias) throws HsmUnavailableException {
    try {
      return keyStore.isKeyEntry(alias);
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("cannot list keys on the token", e);
    }
  }

  /** A handle to the private key under {@code alias}; the key material stays in the token. */
  public PrivateKey privateKey(String alias) throws HsmUnavailableException {
    try {
      if (keyStore.getKey(alias, null) instanceof PrivateKey key) {
        return key;
      }
      throw new HsmUnavailableException("no private key '" + alias + "' on the token");
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("cannot read key '" + alias + "' from the token", e);
    }
  }

  /** The certificate chain stored with the key under {@code alias}, leaf first. */
  public X509Certificate[] certificateChain(String alias) throws HsmUnavailableException {
    try {
      Certificate[] chain = keyStore.getCertificateChain(alias);
      if (chain == null || chain.length == 0) {
        throw new HsmUnavailableException("no certificate for '" + alias + "' on the token");
      }
      return Arrays.stream(chain).map(X509Certificate.class::cast).toArray(X509Certificate[]::new);
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("cannot read certificate '" + alias + "'", e);
    }
  }

  /** Generates an EC key pair on {@code curve} inside the token. */
  public KeyPair generateEcKeyPair(String curve) throws HsmUnavailableException {
    try {
      KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", provider);
      generator.initialize(new ECGenParameterSpec(curve));
      return generator.generateKeyPair();
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("the token cannot generate a " + curve + " key", e);
    }
  }

  /** Labels a token key with {@code alias} and stores its certificate chain beside it. */
  public void storeKeyEntry(String alias, PrivateKey key, X509Certificate[] chain)
      throws HsmUnavailableException {
    try {
      keyStore.setKeyEntry(alias, key, null, chain);
    } catch (GeneralSecurityException e) {
      throw new HsmUnavailableException("cannot store '" + alias + "' on the token", e);
    }
  }
}
