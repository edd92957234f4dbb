package io.redoubt.transparency;

import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

/** The signed tree heads the log has published. */
@Stateless
public class TreeHeads {

  /** How long a caller may wait for a head covering a fresh leaf (heads are signed every ~1 s). */
  public static final Duration MAX_WAIT = Duration.ofSeconds(3);

  private static final long POLL_MILLIS = 50;

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  /** The newest signed head, if any was signed yet. */
  public Optional<SignedTreeHead> newest() {
    return em.createNamedQuery(SignedTreeHead.NEWEST, SignedTreeHead.class)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }

  /**
   * Waits (at most {@code timeout}, capped at {@link #MAX_WAIT}) for a signed head that covers leaf
   * {@code index}, i.e. of size &gt; index. The alternative, signing on demand, would let a client
   * make the HSM sign once per request; waiting for the next batch bounds HSM work to one signature
   * a second whatever the request rate, and bounds the delay to the schedule's period.
   *
   * <p>Runs outside a transaction so that every poll sees heads committed meanwhile.
   *
   * @return the newest head if it covers the leaf, or empty after the timeout
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public Optional<SignedTreeHead> awaitCovering(long index, Duration timeout)
      throws InterruptedException {
    Duration bounded = timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
    Instant deadline = Instant.now().plus(bounded);
    while (true) {
      Optional<SignedTreeHead> newest = newest();
      if (newest.isPresent() && newest.get().treeHead().treeSize() > index) {
        return newest;
      }
      if (!Instant.now().isBefore(deadline)) {
        return Optional.empty();
      }
      Thread.sleep(POLL_MILLIS);
      em.clear();
    }
  }
}
