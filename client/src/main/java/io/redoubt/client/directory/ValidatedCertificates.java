package io.redoubt.client.directory;

import java.security.cert.X509Certificate;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Device certificates that passed the checks that depend only on their bytes and the pinned CA: the
 * PKIX signature chain to that CA, the P-384 key, Redoubt's device usage and the SAN naming exactly
 * the claimed user and device. {@link DeviceVerifier} consults it before repeating those checks
 * (one ECDSA P-384 verification and the certificate's parsing per device), which a sender to a
 * large group would otherwise pay for every device on every message.
 *
 * <p>Nothing that can change over time is remembered: the certificate's validity dates are checked
 * against the clock, and the log entry, its inclusion proof, the revocation list and the prekey
 * signature are checked, on every verification. Only successes are kept, so a certificate that
 * failed is checked in full (and its reason reported) each time.
 *
 * <p>The key is everything the remembered result depends on: the pinned CA's and the certificate's
 * SHA-384, and the user and device the SAN was checked against. One instance per process ({@link
 * #PROCESS}) serves every verifier, because verifiers are made per access token (their log reader
 * is bound to it) while a certificate's validation is not; a long-running client that renews its
 * token keeps what it validated. Bounded: least recently used entries go first.
 */
final class ValidatedCertificates {

  /**
   * Entries kept: a group of 1,000 members with two devices each, and then some. A parsed device
   * certificate takes about 4–5 KB of heap (BC FIPS, its key and extensions read), so the bound is
   * some 20 MB at most.
   */
  static final int CAPACITY = 4096;

  /** The process's memo, shared by every {@link DeviceVerifier}. */
  static final ValidatedCertificates PROCESS = new ValidatedCertificates(CAPACITY);

  private final Map<Key, X509Certificate> entries;

  ValidatedCertificates(int capacity) {
    this.entries =
        new LinkedHashMap<>(16, 0.75f, true) {
          @Override
          protected boolean removeEldestEntry(Map.Entry<Key, X509Certificate> eldest) {
            return size() > capacity;
          }
        };
  }

  /** The certificate remembered under {@code key}, or null. */
  synchronized X509Certificate get(Key key) {
    return entries.get(key);
  }

  /** Remembers that {@code certificate} passed the date-independent checks for {@code key}. */
  synchronized void put(Key key, X509Certificate certificate) {
    entries.put(key, certificate);
  }

  /** How many are remembered. */
  synchronized int count() {
    return entries.size();
  }

  /**
   * What a remembered validation depends on.
   *
   * @param caSha384 base64url SHA-384 of the pinned device CA's DER
   * @param certificateSha384 base64url SHA-384 of the device certificate's DER
   */
  record Key(String caSha384, String certificateSha384, String userId, String deviceId) {}
}
