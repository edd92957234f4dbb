package io.redoubt.transparency;

import jakarta.annotation.PostConstruct;
import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import java.time.Duration;

/**
 * When tree heads are signed: on demand, for callers waiting for a head that covers their leaf
 * (coalesced by {@link TreeHeadPacer}: one signing in flight, at least {@link
 * TransparencySettings#headInterval()} between two), and every second as a fallback for appends
 * that nobody waits for. Both paths go through the one pacer, so they never sign concurrently.
 *
 * <p>Bean-managed concurrency: the pacer does its own locking, and waiters must not queue behind
 * the container's singleton lock while a signing runs.
 */
@Singleton
@Startup
@DependsOn("OrganisationKeys")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
@TransactionAttribute(TransactionAttributeType.NOT_SUPPORTED)
public class TreeHeadSchedule {

  @EJB TreeHeadSigner signer;
  @Inject TransparencySettings settings;

  private TreeHeadPacer pacer;

  @PostConstruct
  void createPacer() {
    pacer =
        new TreeHeadPacer(() -> signer.signNewest().treeHead().treeSize(), settings.headInterval());
  }

  /**
   * Waits (at most {@code timeout}) until a signed head covers leaf {@code index}, having one
   * signed if none is on its way.
   *
   * @return whether such a head is now stored
   */
  public boolean awaitCovering(long index, Duration timeout) throws InterruptedException {
    return pacer.awaitCovering(index, timeout);
  }

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void signNewest() {
    pacer.signIfIdle();
  }
}
