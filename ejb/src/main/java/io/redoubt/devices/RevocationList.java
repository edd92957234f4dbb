package io.redoubt.devices;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.math.BigInteger;
import java.time.Instant;

/**
 * The latest CA-signed revocation list, one row for the installation (created by the schema
 * migration). Locking the row serialises issuing, so that CRL numbers never repeat, also across
 * nodes.
 */
@Entity
@Table(name = "revocation_list")
public class RevocationList {

  /** The id of the one row. */
  static final int THE_LIST = 1;

  @Id private int id;

  @Column(name = "crl_number", nullable = false)
  private long crlNumber;

  @Column(name = "covers_leaf", nullable = false)
  private long coversLeaf;

  @Column(name = "this_update")
  private Instant thisUpdate;

  @Column(name = "next_update")
  private Instant nextUpdate;

  @Column(name = "crl_der")
  private byte[] crlDer;

  protected RevocationList() {}

  /** Records a newly signed list. */
  void replace(long number, long coversLeaf, Instant thisUpdate, Instant nextUpdate, byte[] der) {
    if (number <= crlNumber) {
      throw new IllegalStateException("CRL numbers only grow: " + number + " after " + crlNumber);
    }
    this.crlNumber = number;
    this.coversLeaf = coversLeaf;
    this.thisUpdate = thisUpdate;
    this.nextUpdate = nextUpdate;
    this.crlDer = der.clone();
  }

  long crlNumber() {
    return crlNumber;
  }

  /** The list as issued, or null before the first one. */
  IssuedRevocationList issued() {
    return crlDer == null
        ? null
        : new IssuedRevocationList(
            BigInteger.valueOf(crlNumber), coversLeaf, thisUpdate, nextUpdate, crlDer);
  }
}
