package io.redoubt.client.device;

import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.directory.VerifiedDevice;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.SignedHeads;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.protocol.api.EnrollmentRequest;
import io.redoubt.protocol.api.EnrollmentResponse;
import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.PublishedPrekey;
import io.redoubt.protocol.prekeys.SignedPrekey;
import io.redoubt.protocol.transparency.TreeHead;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.UUID;

/**
 * The device's side of enrollment: the request (CSR, a signed prekey, one-time prekeys) and the
 * checks on the answer before anything is installed. The answer is trusted only when the issued
 * certificate validates to the pinned CA, certifies <em>this</em> key for this user and device, and
 * its issue is in the transparency log under a head signed by the pinned log key and consistent
 * with what this profile saw. A certificate the log does not show is never installed.
 */
public final class DeviceEnrollment {

  /** Signed prekeys are rotated every 7 days (PROTOCOL.md). */
  public static final Duration SIGNED_PREKEY_ROTATION = Duration.ofDays(7);

  /**
   * A signed prekey stays valid this long after it is due for rotation, so that a device that is
   * offline on rotation day does not become unreachable; the server allows up to 14 days in all.
   */
  public static final Duration SIGNED_PREKEY_MARGIN = Duration.ofDays(2);

  /** One-time prekeys live longer (they are used once); the server allows up to 90 days. */
  public static final Duration ONE_TIME_PREKEY_LIFETIME = Duration.ofDays(30);

  /** One-time prekeys published with the enrollment (the server's per-request maximum). */
  public static final int ONE_TIME_PREKEYS = 100;

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private DeviceEnrollment() {}

  /**
   * Makes the enrollment request: a CSR signed by the identity key, a signed prekey valid for
   * {@link #SIGNED_PREKEY_ROTATION} + {@link #SIGNED_PREKEY_MARGIN}, and {@link #ONE_TIME_PREKEYS}
   * one-time prekeys, whose private halves go into {@code vault}.
   */
  public static EnrollmentRequest request(
      DeviceKeyStore keys, PrekeyVault vault, UUID deviceId, String name, Instant now)
      throws IOException, GeneralSecurityException {
    SignedPrekey signed =
        vault
            .generate(1, now.plus(SIGNED_PREKEY_ROTATION).plus(SIGNED_PREKEY_MARGIN), false)
            .get(0);
    List<PublishedPrekey> oneTime = new ArrayList<>();
    for (SignedPrekey prekey :
        vault.generate(ONE_TIME_PREKEYS, now.plus(ONE_TIME_PREKEY_LIFETIME), true)) {
      oneTime.add(PublishedPrekey.of(prekey));
    }
    return new EnrollmentRequest(
        deviceId.toString(),
        name,
        B64.encodeToString(keys.certificationRequest(deviceId).getEncoded()),
        PublishedPrekey.of(signed),
        oneTime);
  }

  /**
   * Checks the server's answer (see the class comment).
   *
   * @param userId the signed-in user, from {@code /api/v1/me}
   * @throws DeviceRejectedException when the certificate or its log evidence fails a check
   * @throws TransparencyException when the answer's head does not verify or is inconsistent
   */
  public static Enrolled verify(
      EnrollmentResponse answer,
      DeviceKeyStore keys,
      UUID deviceId,
      String userId,
      OrganisationPins pins,
      DeviceVerifier verifier,
      LogMonitor monitor,
      MonitorState state)
      throws DeviceRejectedException,
          TransparencyException,
          GeneralSecurityException,
          IOException,
          InterruptedException,
          RedoubtApiException {
    if (answer == null
        || answer.device() == null
        || answer.treeHead() == null
        || answer.inclusionProof() == null) {
      throw new DeviceRejectedException("the enrollment answer lacks the device, head or proof");
    }
    if (!deviceId.toString().equals(answer.device().deviceId())) {
      throw new DeviceRejectedException(
          "the server enrolled device " + answer.device().deviceId() + ", not " + deviceId);
    }
    TreeHead head = SignedHeads.verify(answer.treeHead(), pins.logKey());
    MonitorState next = monitor.observe(state, answer.treeHead());
    InclusionProofResponse proof = answer.inclusionProof();
    long index = answer.device().issuedLogIndex();
    if (proof.index() != index || proof.treeSize() != head.treeSize()) {
      throw new DeviceRejectedException(
          "the inclusion proof is for leaf "
              + proof.index()
              + " in "
              + proof.treeSize()
              + ", not for leaf "
              + index
              + " in the signed tree of "
              + head.treeSize());
    }
    VerifiedDevice device =
        verifier.verify(
            userId,
            deviceId.toString(),
            answer.device().certificatePem(),
            index,
            proof.auditPath(),
            head);
    ECPublicKey ours = (ECPublicKey) keys.chain()[0].getPublicKey();
    if (!Arrays.equals(device.certificate().getPublicKey().getEncoded(), ours.getEncoded())) {
      throw new DeviceRejectedException("the issued certificate is not for this device's key");
    }
    List<X509Certificate> chain = new ArrayList<>();
    chain.add(device.certificate());
    chain.addAll(OrganisationPins.certificates(pins.caChainPem()));
    next =
        next.withDevice(
            new MonitorState.KnownDevice(
                userId,
                null,
                deviceId.toString(),
                device.certificateSha384(),
                index,
                MonitorState.ENROLLED,
                false));
    return new Enrolled(next, chain.toArray(X509Certificate[]::new), device);
  }

  /**
   * A verified enrollment.
   *
   * @param state the transparency state to save, now relying on the new certificate
   * @param chain what to install in the key store: the certificate, then the pinned CA chain
   */
  public record Enrolled(MonitorState state, X509Certificate[] chain, VerifiedDevice device) {}
}
