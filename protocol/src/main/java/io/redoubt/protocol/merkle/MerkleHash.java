package io.redoubt.protocol.merkle;

import io.redoubt.protocol.crypto.FipsModule;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Objects;

/**
 * The RFC 9162 §2.1.1 tree hash over a chosen digest: leaf hash H(0x00 ‖ leaf), node hash H(0x01 ‖
 * left ‖ right), empty tree H(""). The domain-separation bytes keep a leaf from ever passing as an
 * inner node. Production uses SHA-384 ({@link #sha384()}); SHA-256 exists for the Certificate
 * Transparency test data.
 */
public final class MerkleHash {

  private static final byte[] LEAF_PREFIX = {0x00};
  private static final byte[] NODE_PREFIX = {0x01};

  private final String digestName;
  private final int length;

  private MerkleHash(String digestName) {
    this.digestName = digestName;
    this.length = newDigest().getDigestLength();
  }

  /** The tree hash over a JCA digest of the FIPS provider, e.g. "SHA-384". */
  public static MerkleHash of(String jcaDigestName) {
    return new MerkleHash(Objects.requireNonNull(jcaDigestName));
  }

  /** The production tree hash. */
  public static MerkleHash sha384() {
    return of("SHA-384");
  }

  /** Digest length in bytes; every node hash has exactly this length. */
  public int length() {
    return length;
  }

  public byte[] leafHash(byte[] leaf) {
    MessageDigest digest = newDigest();
    digest.update(LEAF_PREFIX);
    digest.update(leaf);
    return digest.digest();
  }

  public byte[] nodeHash(byte[] left, byte[] right) {
    MessageDigest digest = newDigest();
    digest.update(NODE_PREFIX);
    digest.update(left);
    digest.update(right);
    return digest.digest();
  }

  /** The root of the empty tree: the hash of the empty string. */
  public byte[] emptyRoot() {
    return newDigest().digest();
  }

  @Override
  public String toString() {
    return "MerkleHash[" + digestName + "]";
  }

  private MessageDigest newDigest() {
    try {
      return MessageDigest.getInstance(digestName, FipsModule.PROVIDER);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("the FIPS provider has no digest " + digestName, e);
    }
  }
}
