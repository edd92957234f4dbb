package io.redoubt.client.messaging;

import io.redoubt.client.AccessToken;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.envelope.Envelope;
import io.redoubt.protocol.envelope.EnvelopeHeader;
import io.redoubt.protocol.envelope.EnvelopeOpener;
import java.io.IOException;
import java.security.interfaces.ECPublicKey;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;

/**
 * Decides whether an envelope comes from the device its header names: the directory's answer for
 * that device ({@code GET /api/v1/directory/devices/{id}}, served for revoked devices too) is
 * checked like any peer's — head signature and consistency, chain to the pinned CA, SAN naming
 * exactly the header's sender user and device, log inclusion, absence from the CA's revocation list
 * — and then the certificate's key must verify the envelope's signature.
 *
 * <p>Verified keys are remembered for the life of this object (one receive run), so a burst from
 * one sender costs one directory call. Not thread-safe.
 */
public final class SenderCheck {

  private final RedoubtClient client;
  private final PeerDevices peers;
  private final RevocationCheck.Verified revocations;
  private final Map<UUID, Sender> verified = new HashMap<>();
  private MonitorState state;

  public SenderCheck(
      RedoubtClient client,
      PeerDevices peers,
      RevocationCheck.Verified revocations,
      MonitorState state) {
    this.client = client;
    this.peers = peers;
    this.revocations = revocations;
    this.state = state;
  }

  /** The transparency state, with the heads and sender certificates checked so far. */
  public MonitorState state() {
    return state;
  }

  /**
   * Checks the sender of {@code envelope}.
   *
   * @return the verified sender
   * @throws UnverifiedSenderException naming the check that failed
   */
  public Sender verify(AccessToken token, Envelope envelope)
      throws UnverifiedSenderException, IOException, InterruptedException {
    EnvelopeHeader header = envelope.header();
    Sender sender = verified.get(header.senderDeviceId());
    if (sender == null) {
      sender = certified(token, header.senderUserId(), header.senderDeviceId());
      verified.put(header.senderDeviceId(), sender);
    }
    if (!sender.userId().equals(header.senderUserId())) {
      throw new UnverifiedSenderException(
          "device "
              + header.senderDeviceId()
              + " belongs to "
              + sender.userId()
              + ", not to the"
              + " header's sender "
              + header.senderUserId());
    }
    if (!EnvelopeOpener.verifySender(envelope, sender.key())) {
      throw new UnverifiedSenderException(
          "the signature is not by the certified key of device " + header.senderDeviceId());
    }
    return sender;
  }

  private Sender certified(AccessToken token, String userId, UUID deviceId)
      throws UnverifiedSenderException, IOException, InterruptedException {
    DirectoryResponse answer;
    try {
      answer = client.directoryDevice(token, deviceId);
    } catch (RedoubtApiException e) {
      throw new UnverifiedSenderException(
          "the directory does not know the sender's device "
              + deviceId
              + " ("
              + e.getMessage()
              + ")");
    }
    if (answer == null || !userId.equals(answer.userId())) {
      throw new UnverifiedSenderException(
          "the directory says device "
              + deviceId
              + " belongs to "
              + (answer == null ? "nobody" : answer.userId())
              + ", not to the header's sender "
              + userId);
    }
    if (answer.devices() == null
        || answer.devices().size() != 1
        || !deviceId.toString().equals(answer.devices().get(0).deviceId())) {
      throw new UnverifiedSenderException(
          "the directory answered for other devices than the sender's " + deviceId);
    }
    PeerDevices.Lookup lookup;
    try {
      PeerDevices.HeadCheck head = peers.verifyHead(state, answer.treeHead());
      lookup =
          peers.verifyDevices(
              head.state(), head.head(), userId, answer.username(), answer.devices(), revocations);
    } catch (TransparencyException e) {
      throw new UnverifiedSenderException("transparency check failed: " + e.getMessage());
    } catch (RedoubtApiException e) {
      throw new UnverifiedSenderException(
          "the log's proofs are unavailable (" + e.getMessage() + ")");
    }
    if (!lookup.rejected().isEmpty()) {
      throw new UnverifiedSenderException(
          "the sender's certificate is rejected: " + lookup.rejected().get(0).reason());
    }
    state = lookup.state();
    return new Sender(
        userId,
        answer.username(),
        deviceId,
        (ECPublicKey) lookup.accepted().get(0).certificate().getPublicKey());
  }

  /** A sender device whose certificate passed every check. */
  public record Sender(String userId, String username, UUID deviceId, ECPublicKey key) {}

  /** The sender of an envelope could not be verified; the message says which check failed. */
  public static final class UnverifiedSenderException extends Exception {
    private static final long serialVersionUID = 1L;

    UnverifiedSenderException(String message) {
      super(message);
    }
  }
}
