package io.redoubt.devices;

import java.math.BigInteger;
import java.time.Duration;
import java.time.Instant;

/**
 * A signed X.509 v2 CRL as the server hands it out.
 *
 * @param number its CRLNumber
 * @param coversLeaf the transparency-log leaf of the newest revocation it lists (-1: none)
 * @param der the DER encoding, as served ({@code application/pkix-crl})
 */
public record IssuedRevocationList(
    BigInteger number, long coversLeaf, Instant thisUpdate, Instant nextUpdate, byte[] der) {

  public IssuedRevocationList {
    der = der.clone();
  }

  @Override
  public byte[] der() {
    return der.clone();
  }

  /**
   * True while the list may still be served: no revocation after {@code latestRevocationLeaf} is
   * missing from it, and less than half its validity has passed (so that a client fetching it just
   * before a re-issue still holds a list valid for half a period).
   */
  public boolean isCurrent(long latestRevocationLeaf, Instant now) {
    Duration half = Duration.between(thisUpdate, nextUpdate).dividedBy(2);
    return coversLeaf >= latestRevocationLeaf && now.isBefore(thisUpdate.plus(half));
  }
}
