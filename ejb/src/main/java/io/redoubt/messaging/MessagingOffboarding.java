package io.redoubt.messaging;

import io.redoubt.devices.DeviceRevoked;
import io.redoubt.directory.UserOffboarded;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.logging.Logger;

/**
 * Offboarding, messaging: a revoked device's queue is purged (nobody will read it), and a user who
 * loses access leaves every conversation, the other members' devices told. Both inside the
 * transaction that revokes or changes the status.
 */
@ApplicationScoped
public class MessagingOffboarding {

  private static final Logger LOG = Logger.getLogger(MessagingOffboarding.class.getName());

  @EJB DeviceQueues queues;
  @EJB Conversations conversations;

  void purgeQueue(@Observes DeviceRevoked event) {
    queues.purge(event.deviceId());
  }

  void leaveConversations(@Observes UserOffboarded event) {
    int left = conversations.removeEverywhere(event.userId());
    if (left > 0) {
      LOG.info(() -> "user " + event.userId() + " taken out of " + left + " conversation(s)");
    }
  }
}
