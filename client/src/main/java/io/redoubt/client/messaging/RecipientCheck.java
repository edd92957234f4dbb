package io.redoubt.client.messaging;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.directory.DeviceRejectedException;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.directory.VerifiedDevice;
import io.redoubt.client.transparency.MonitorState;
import io.redoubt.client.transparency.TransparencyException;
import io.redoubt.client.trust.RevocationCheck;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.DirectoryResponse;
import io.redoubt.protocol.crypto.EcKeys;
import io.redoubt.protocol.envelope.EnvelopeSealer;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import java.io.IOException;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Turns the server's recipient answer into the keys a message is sealed to, trusting nothing in it
 * unchecked: the answer's tree head verifies with the pinned log key and is consistent with the
 * profile's; every device's certificate chains to the pinned CA, names its user and device, is in
 * the log and not on the CA's revocation list ({@link PeerDevices}); every claimed prekey is signed
 * by that certificate's key for that device and not expired.
 *
 * <p>One failing device fails the whole answer. Leaving it out is no option: the server accepts
 * only the exact recipient set, and sealing to a device this client cannot vouch for is what an
 * attacker who controls the server would want. A device of the user's own that the profile's
 * transparency monitor raised an alarm about (logged, but not enrolled or acknowledged here) is
 * refused for the same reason.
 */
public final class RecipientCheck {

  private final PeerDevices peers;
  private final Clock clock;

  public RecipientCheck(PeerDevices peers, Clock clock) {
    this.peers = peers;
    this.clock = clock;
  }

  /**
   * Verifies {@code answer} for a message from {@code ownDeviceId} in {@code conversationId}.
   *
   * @throws DeviceRejectedException naming the device and the check it failed
   * @throws TransparencyException when the answer's head does not verify or is inconsistent
   */
  public Result verify(
      MonitorState state,
      UUID conversationId,
      UUID ownDeviceId,
      ConversationRecipientsResponse answer,
      RevocationCheck.Verified revocations)
      throws DeviceRejectedException,
          TransparencyException,
          IOException,
          InterruptedException,
          RedoubtApiException {
    if (answer == null || !conversationId.toString().equals(answer.conversationId())) {
      throw new DeviceRejectedException(
          "asked for the recipients of conversation "
              + conversationId
              + ", the server answered for "
              + (answer == null ? "nothing" : answer.conversationId()));
    }
    PeerDevices.HeadCheck head = peers.verifyHead(state, answer.treeHead());
    MonitorState next = head.state();
    Set<String> alarmed = new HashSet<>();
    next.alarms().forEach(alarm -> alarmed.add(alarm.deviceId()));
    List<EnvelopeSealer.Recipient> recipients = new ArrayList<>();
    Set<UUID> seen = new HashSet<>();
    for (ConversationRecipientsResponse.RecipientUser user :
        answer.users() == null
            ? List.<ConversationRecipientsResponse.RecipientUser>of()
            : answer.users()) {
      PeerDevices.Lookup lookup =
          peers.verifyDevices(
              next, head.head(), user.userId(), user.username(), user.devices(), revocations);
      if (!lookup.rejected().isEmpty()) {
        PeerDevices.Rejected first = lookup.rejected().get(0);
        throw new DeviceRejectedException(
            "device " + first.deviceId() + " of " + user.username() + ": " + first.reason());
      }
      next = lookup.state();
      Map<String, DirectoryResponse.DirectoryDevice> served = new HashMap<>();
      user.devices().forEach(device -> served.put(device.deviceId(), device));
      for (VerifiedDevice device : lookup.accepted()) {
        UUID deviceId = UUID.fromString(device.deviceId());
        if (deviceId.equals(ownDeviceId)) {
          throw new DeviceRejectedException(
              "the server lists this device itself as a recipient of its own message");
        }
        if (state.userId().equals(user.userId()) && alarmed.contains(device.deviceId())) {
          throw new DeviceRejectedException(
              "device "
                  + deviceId
                  + " is yours by the log, but this profile did not enroll or acknowledge it;"
                  + " run redoubt kt verify, then acknowledge or revoke it");
        }
        if (!seen.add(deviceId)) {
          throw new DeviceRejectedException("device " + deviceId + " is listed twice");
        }
        recipients.add(prekeyOf(deviceId, device, served.get(device.deviceId()), user.username()));
      }
    }
    if (recipients.isEmpty()) {
      throw new DeviceRejectedException(
          "the conversation has no other device to send to (no member has an active device)");
    }
    return new Result(next, recipients);
  }

  private EnvelopeSealer.Recipient prekeyOf(
      UUID deviceId,
      VerifiedDevice device,
      DirectoryResponse.DirectoryDevice served,
      String username)
      throws DeviceRejectedException {
    if (served == null || served.prekey() == null) {
      throw new DeviceRejectedException(
          "device " + deviceId + " of " + username + " comes without a claimed prekey");
    }
    try {
      SignedPrekey prekey = served.prekey().decode(deviceId);
      prekey.verify((ECPublicKey) device.certificate().getPublicKey(), clock.instant());
      ECPublicKey key = EcKeys.decodeSubjectPublicKeyInfo(prekey.publicKey());
      return new EnvelopeSealer.Recipient(deviceId, prekey.prekeyId(), key);
    } catch (InvalidPrekeyException | InvalidKeyException | RuntimeException e) {
      throw new DeviceRejectedException(
          "device "
              + deviceId
              + " of "
              + username
              + ": its prekey is not signed by its certified key, or expired ("
              + e.getMessage()
              + ")",
          e);
    }
  }

  /** The checked recipients, and the transparency state that now includes their certificates. */
  public record Result(MonitorState state, List<EnvelopeSealer.Recipient> recipients) {}
}
