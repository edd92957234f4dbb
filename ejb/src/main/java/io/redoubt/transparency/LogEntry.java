package io.redoubt.transparency;

import io.redoubt.protocol.transparency.LeafKind;
import io.redoubt.protocol.transparency.LogLeaf;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/**
 * A stored log leaf: its bytes exactly as hashed into the tree, and its fields for queries. Never
 * updated or deleted (the runtime account could, so tampering is caught by the signed heads, not by
 * grants).
 */
@Entity
@Table(name = "transparency_leaf")
@NamedQuery(
    name = LogEntry.RANGE,
    query =
        "SELECT e FROM LogEntry e WHERE e.leafIndex >= :start AND e.leafIndex < :end"
            + " ORDER BY e.leafIndex")
@NamedQuery(name = LogEntry.AT, query = "SELECT e FROM LogEntry e WHERE e.leafIndex IN :indexes")
public class LogEntry {

  static final String RANGE = "LogEntry.range";
  static final String AT = "LogEntry.at";

  @Id
  @Column(name = "leaf_index", updatable = false)
  private long leafIndex;

  @Column(nullable = false, length = 32, updatable = false)
  private String kind;

  @Column(name = "user_id", nullable = false, length = 255, updatable = false)
  private String userId;

  @Column(name = "device_id", nullable = false, length = 64, updatable = false)
  private String deviceId;

  @Column(name = "certificate_sha384", nullable = false, updatable = false)
  private byte[] certificateSha384;

  @Column(name = "logged_at_millis", nullable = false, updatable = false)
  private long loggedAtMillis;

  @Column(name = "leaf_bytes", nullable = false, updatable = false)
  private byte[] leafBytes;

  protected LogEntry() {}

  LogEntry(long leafIndex, LogLeaf leaf, byte[] leafBytes) {
    this.leafIndex = leafIndex;
    this.kind = leaf.kind().code();
    this.userId = leaf.userId();
    this.deviceId = leaf.deviceId();
    this.certificateSha384 = leaf.certificateSha384();
    this.loggedAtMillis = leaf.time().toEpochMilli();
    this.leafBytes = leafBytes.clone();
  }

  public long index() {
    return leafIndex;
  }

  /** The leaf as logged (decoded from the stored columns). */
  public LogLeaf leaf() {
    return new LogLeaf(
        LeafKind.ofCode(kind),
        userId,
        deviceId,
        certificateSha384,
        Instant.ofEpochMilli(loggedAtMillis));
  }

  /** The stored leaf bytes, which a client hashes to check inclusion. */
  public byte[] leafBytes() {
    return leafBytes.clone();
  }
}
