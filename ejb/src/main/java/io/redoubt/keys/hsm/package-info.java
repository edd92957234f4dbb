/**
 * The port adapter to the HSM over PKCS#11, through the JDK's SunPKCS11 provider.
 *
 * <p>Invariant: private keys are generated inside the token and stay there; the provider
 * configuration marks them sensitive and non-extractable, and nothing here ever asks for key bytes.
 */
package io.redoubt.keys.hsm;
