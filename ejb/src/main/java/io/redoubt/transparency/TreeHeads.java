package io.redoubt.transparency;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Duration;
import java.util.Optional;

/** The signed tree heads the log has published. */
@Stateless
public class TreeHeads {

  /** The longest a caller may wait for a head covering a fresh leaf. */
  public static final Duration MAX_WAIT = Duration.ofSeconds(3);

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  @EJB TreeHeadSchedule schedule;

  /** The newest signed head, if any was signed yet. */
  public Optional<SignedTreeHead> newest() {
    return em.createNamedQuery(SignedTreeHead.NEWEST, SignedTreeHead.class)
        .setMaxResults(1)
        .getResultStream()
        .findFirst();
  }

  /**
   * Waits (at most {@code timeout}, capped at {@link #MAX_WAIT}) for a signed head that covers leaf
   * {@code index}, i.e. of size &gt; index. Waiting callers share signings ({@link
   * TreeHeadSchedule}): a client cannot make the HSM sign once per request, the HSM signs at most a
   * few heads a second whatever the request rate, and a waiter is answered as soon as the signing
   * that covers its leaf commits (a few hundred milliseconds at most, see {@link
   * TransparencySettings}).
   *
   * <p>Runs outside a transaction, so the caller's leaf must be committed already, and the head
   * read afterwards is the one just committed.
   *
   * @return the newest head if it covers the leaf, or empty after the timeout
   */
  @TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
  public Optional<SignedTreeHead> awaitCovering(long index, Duration timeout)
      throws InterruptedException {
    Duration bounded = timeout.compareTo(MAX_WAIT) > 0 ? MAX_WAIT : timeout;
    if (!schedule.awaitCovering(index, bounded)) {
      return Optional.empty();
    }
    return newest().filter(head -> head.treeHead().treeSize() > index);
  }
}
