package io.redoubt.protocol.hpke;

import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.SecureRandom;
import java.security.interfaces.ECPublicKey;

/**
 * HPKE (RFC 9180), generic over the suite, in all four modes; single-shot seal/open and the secret
 * exporter.
 *
 * <p>The sender entry points take an explicit ephemeral key pair. That is how the RFC vectors drive
 * the code, and how a sender may reuse ONE ephemeral for every recipient of one message
 * (PROTOCOL.md): each recipient's shared secret is bound to its own public key by the KEM context,
 * so the outputs stay independent. An ephemeral must never be reused across messages; the overloads
 * taking a {@link SecureRandom} make a fresh one.
 *
 * <p>Recipients pass their key pair because Decap binds the recipient's public key (kem_context =
 * enc ‖ pkR).
 */
public final class Hpke {

  private Hpke() {}

  /** SetupBaseS with a fresh ephemeral. */
  public static SenderSetup setupBaseSender(
      HpkeSuite suite, ECPublicKey recipient, byte[] info, SecureRandom random)
      throws GeneralSecurityException {
    return setupSender(suite, recipient, info, suite.kem().generateKeyPair(random), null, null);
  }

  /**
   * SetupS for any mode: base when {@code psk} and {@code senderAuth} are null, psk with a PSK,
   * auth with the sender's static key pair, auth-psk with both.
   */
  public static SenderSetup setupSender(
      HpkeSuite suite,
      ECPublicKey recipient,
      byte[] info,
      KeyPair ephemeral,
      PreSharedKey psk,
      KeyPair senderAuth)
      throws GeneralSecurityException {
    Dhkem.Encapsulation encapsulation =
        Dhkem.of(suite.kem()).encap(recipient, ephemeral, senderAuth);
    Mode mode = Mode.of(psk != null, senderAuth != null);
    HpkeContext context =
        KeySchedule.derive(
            suite, HpkeContext.Role.SENDER, mode, encapsulation.sharedSecret(), info, psk);
    return new SenderSetup(encapsulation.enc(), context);
  }

  /**
   * SetupR for any mode: {@code senderAuth} is the sender's static public key in the auth modes,
   * null otherwise.
   */
  public static HpkeContext setupRecipient(
      HpkeSuite suite,
      byte[] enc,
      KeyPair recipient,
      byte[] info,
      PreSharedKey psk,
      ECPublicKey senderAuth)
      throws GeneralSecurityException {
    byte[] sharedSecret = Dhkem.of(suite.kem()).decap(enc, recipient, senderAuth);
    Mode mode = Mode.of(psk != null, senderAuth != null);
    return KeySchedule.derive(suite, HpkeContext.Role.RECIPIENT, mode, sharedSecret, info, psk);
  }

  /** Single-shot base-mode seal with a fresh ephemeral. */
  public static Sealed seal(
      HpkeSuite suite,
      ECPublicKey recipient,
      byte[] info,
      byte[] aad,
      byte[] plaintext,
      SecureRandom random)
      throws GeneralSecurityException {
    return seal(suite, recipient, info, aad, plaintext, suite.kem().generateKeyPair(random));
  }

  /**
   * Single-shot base-mode seal with the given ephemeral (one message, any number of recipients).
   */
  public static Sealed seal(
      HpkeSuite suite,
      ECPublicKey recipient,
      byte[] info,
      byte[] aad,
      byte[] plaintext,
      KeyPair ephemeral)
      throws GeneralSecurityException {
    SenderSetup setup = setupSender(suite, recipient, info, ephemeral, null, null);
    try {
      return new Sealed(setup.enc(), setup.context().seal(aad, plaintext));
    } finally {
      setup.context().destroy();
    }
  }

  /**
   * Single-shot base-mode open.
   *
   * @throws javax.crypto.AEADBadTagException when anything bound into the seal differs
   */
  public static byte[] open(
      HpkeSuite suite, byte[] enc, KeyPair recipient, byte[] info, byte[] aad, byte[] ciphertext)
      throws GeneralSecurityException {
    HpkeContext context = setupRecipient(suite, enc, recipient, info, null, null);
    try {
      return context.open(aad, ciphertext);
    } finally {
      context.destroy();
    }
  }

  /** Single-shot base-mode SendExport: the enc to send and the exported secret. */
  public static SenderExport sendExport(
      HpkeSuite suite,
      ECPublicKey recipient,
      byte[] info,
      byte[] exporterContext,
      int length,
      KeyPair ephemeral)
      throws GeneralSecurityException {
    SenderSetup setup = setupSender(suite, recipient, info, ephemeral, null, null);
    try {
      return new SenderExport(setup.enc(), setup.context().export(exporterContext, length));
    } finally {
      setup.context().destroy();
    }
  }

  /** Single-shot base-mode ReceiveExport. */
  public static byte[] receiveExport(
      HpkeSuite suite,
      byte[] enc,
      KeyPair recipient,
      byte[] info,
      byte[] exporterContext,
      int length)
      throws GeneralSecurityException {
    HpkeContext context = setupRecipient(suite, enc, recipient, info, null, null);
    try {
      return context.export(exporterContext, length);
    } finally {
      context.destroy();
    }
  }

  /** The enc and the exported secret of {@link #sendExport}; the caller zeroes the secret. */
  public record SenderExport(byte[] enc, byte[] exportedSecret) {
    @Override
    public String toString() {
      return "SenderExport[enc " + enc.length + " bytes, secret redacted]";
    }
  }
}
