package io.redoubt.messaging;

import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.validation.constraints.NotNull;
import java.util.Collection;
import java.util.List;
import java.util.Map;

/**
 * One transaction for what many devices asked at about the same time: their acknowledgements, then
 * their envelopes. The web tier's batcher calls it with whatever arrived while the previous batch
 * was committing, so that the commit (an fsync with {@code innodb_flush_log_at_trx_commit=1}) is
 * paid once per batch rather than once per message.
 */
@Stateless
public class GroupCommit {

  @EJB DeviceQueues queues;
  @EJB Mailroom mailroom;

  /**
   * Deletes the acknowledged rows and takes the envelopes in, all or nothing: a database failure (a
   * deadlock, a lost connection) rolls the whole batch back and is thrown; a refused envelope is
   * only its own outcome.
   *
   * @param acknowledgements sequence numbers acknowledged, by device
   * @return one outcome per submission, in order
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public List<Mailroom.Outcome> commit(
      @NotNull List<Mailroom.Submission> submissions,
      @NotNull Map<String, ? extends Collection<Long>> acknowledgements) {
    if (!acknowledgements.isEmpty()) {
      queues.acknowledgeAll(acknowledgements);
    }
    return submissions.isEmpty() ? List.of() : mailroom.acceptAll(submissions);
  }
}
