package io.redoubt.audit;

import io.redoubt.directory.UserOffboarded;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.time.Clock;

/**
 * Writes {@link AuditEvent.Type#USER_OFFBOARDED} for every user who loses access, whatever the
 * trigger, inside the transaction that changes the status: the record exists exactly when the
 * change does.
 *
 * <p>The actor is the reconciliation run (or re-check) that decided, with what started it, and the
 * administrator who confirmed it if it was held.
 */
@ApplicationScoped
public class OffboardingAudit {

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  private final Clock clock = Clock.systemUTC();

  void record(@Observes UserOffboarded event) {
    em.persist(
        new AuditEvent(
            clock.instant(),
            AuditEvent.Type.USER_OFFBOARDED,
            event.decidedBy(),
            event.userId(),
            event.username(),
            event.runId(),
            "status " + event.status()));
  }
}
