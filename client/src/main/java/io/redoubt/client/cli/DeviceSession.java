package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.device.DeviceIdentity;
import io.redoubt.client.device.DeviceKeyStore;
import io.redoubt.client.device.PrekeyVault;
import io.redoubt.client.directory.PeerDevices;
import io.redoubt.client.messaging.Attachments;
import io.redoubt.client.messaging.Messenger;
import io.redoubt.client.trust.RevocationCheck;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;

/**
 * A signed-in profile acting as its enrolled device: the key store opened with the passphrase, the
 * prekey vault, the CA's revocation list fetched and verified, and a {@link Messenger} over them.
 * {@link #save} stores what the checks learned (transparency state, revocation-list number).
 */
final class DeviceSession {

  private final Profile profile;
  private final Session session;
  private final Messenger messenger;
  private final RevocationCheck.Verified revocations;
  private final DeviceIdentity identity;

  private DeviceSession(
      Profile profile,
      Session session,
      Messenger messenger,
      RevocationCheck.Verified revocations,
      DeviceIdentity identity) {
    this.profile = profile;
    this.session = session;
    this.messenger = messenger;
    this.revocations = revocations;
    this.identity = identity;
  }

  static DeviceSession open(Profile profile, boolean passphraseStdin, AccessToken token)
      throws Exception {
    Session session = Session.open(profile);
    Profile.DeviceRecord record =
        profile
            .device()
            .filter(Profile.DeviceRecord::enrolled)
            .orElseThrow(
                () ->
                    new RedoubtCommand.UserFacingException(
                        "this profile has no enrolled device: run redoubt device enroll --name"
                            + " NAME"));
    char[] passphrase = Passphrase.read(passphraseStdin, false);
    DeviceKeyStore keys;
    try {
      keys = DeviceKeyStore.open(profile.deviceKeyStore(), passphrase);
    } finally {
      Arrays.fill(passphrase, '\0');
    }
    PrekeyVault vault = PrekeyVault.open(profile.prekeyVault(), keys, record.deviceId());
    var pins = session.pins();
    RevocationCheck.Verified revocations =
        RevocationCheck.verify(
            session.client().revocationList(),
            pins.deviceCa(),
            Instant.now(),
            profile.highestRevocationListNumber().orElse(null));
    PeerDevices peers =
        new PeerDevices(session.deviceVerifier(token), session.monitor(token), pins.logKey());
    Clock clock = Clock.systemUTC();
    DeviceIdentity identity = new DeviceIdentity(record.deviceId(), keys.identityKey(), clock);
    Messenger messenger =
        new Messenger(
            session.client(),
            identity,
            vault,
            peers,
            revocations,
            session.transparency(),
            profile.seenMessages(Instant.now()),
            clock);
    return new DeviceSession(profile, session, messenger, revocations, identity);
  }

  /** This profile's device as it proves itself to the server. */
  DeviceIdentity identity() {
    return identity;
  }

  /** Signs the device proofs of attachment requests, bound to {@code token}. */
  Attachments.ProofSigner proofs(AccessToken token) {
    return (method, rawPath) -> identity.proof(method, rawPath, token);
  }

  Session session() {
    return session;
  }

  Messenger messenger() {
    return messenger;
  }

  /** Saves the transparency state and the revocation-list number the checks moved forward. */
  void save() throws java.io.IOException {
    profile.saveRevocationListNumber(revocations.number());
    profile.save(messenger.state());
  }
}
