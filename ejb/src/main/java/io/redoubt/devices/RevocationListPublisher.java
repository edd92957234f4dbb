package io.redoubt.devices;

import jakarta.ejb.EJB;
import jakarta.ejb.Lock;
import jakarta.ejb.LockType;
import jakarta.ejb.Singleton;
import java.security.GeneralSecurityException;
import java.time.Clock;

/**
 * Serves the current revocation list from memory, and has it re-issued when it is stale: after a
 * revocation (a newer revocation leaf in the log than the list covers) or after half its validity.
 *
 * <p>Every call costs one indexed query for the newest revocation and no signature, so the list
 * never lags a committed revocation and the HSM signs once per revocation or half period, however
 * often clients fetch. The check on read, rather than a re-issue inside {@link
 * DeviceRegistry#revoke}, keeps the HSM out of the revocation's transaction and covers every way a
 * certificate gets revoked.
 */
@Singleton
@Lock(LockType.READ)
public class RevocationListPublisher {

  @EJB RevocationListIssuer issuer;

  private final Clock clock = Clock.systemUTC();
  private volatile IssuedRevocationList cached;

  /** The current list, signed by the CA key. */
  public IssuedRevocationList current() throws GeneralSecurityException {
    IssuedRevocationList list = cached;
    if (list != null && list.isCurrent(issuer.latestRevocationLeaf(), clock.instant())) {
      return list;
    }
    list = issuer.currentOrNew();
    cached = list;
    return list;
  }
}
