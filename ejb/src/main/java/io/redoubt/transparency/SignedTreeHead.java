package io.redoubt.transparency;

import io.redoubt.protocol.transparency.TreeHead;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** A tree head and the log key's signature over its TBS encoding. Never changed once stored. */
@Entity
@Table(name = "transparency_tree_head")
@NamedQuery(
    name = SignedTreeHead.NEWEST,
    query = "SELECT h FROM SignedTreeHead h ORDER BY h.treeSize DESC")
public class SignedTreeHead {

  static final String NEWEST = "SignedTreeHead.newest";

  @Id
  @Column(name = "tree_size", updatable = false)
  private long treeSize;

  @Column(name = "root_hash", nullable = false, updatable = false)
  private byte[] rootHash;

  @Column(name = "signed_at_millis", nullable = false, updatable = false)
  private long signedAtMillis;

  @Column(nullable = false, updatable = false)
  private byte[] signature;

  @Column(name = "key_fingerprint", nullable = false, length = 96, updatable = false)
  private String keyFingerprint;

  protected SignedTreeHead() {}

  SignedTreeHead(TreeHead head, byte[] signature, String keyFingerprint) {
    this.treeSize = head.treeSize();
    this.rootHash = head.rootHash();
    this.signedAtMillis = head.time().toEpochMilli();
    this.signature = signature.clone();
    this.keyFingerprint = keyFingerprint;
  }

  /** The signed content. */
  public TreeHead treeHead() {
    return new TreeHead(treeSize, rootHash, Instant.ofEpochMilli(signedAtMillis));
  }

  /** ECDSA P-384/SHA-384 over {@code treeHead().encode()}, DER. */
  public byte[] signature() {
    return signature.clone();
  }

  /** SHA-384 (hex) of the log key certificate that verifies the signature. */
  public String keyFingerprint() {
    return keyFingerprint;
  }
}
