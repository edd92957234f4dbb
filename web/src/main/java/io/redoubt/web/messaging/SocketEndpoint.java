package io.redoubt.web.messaging;

import io.redoubt.directory.DirectoryStatuses;
import io.undertow.websockets.core.WebSocketChannel;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Initialized;
import jakarta.enterprise.event.Observes;
import jakarta.inject.Inject;

/**
 * Makes the {@link DeliverySocket} of each upgraded {@code /ws} connection, with the application's
 * services. {@link SocketRoute} is created by Undertow before CDI starts, so this bean hands itself
 * to the route once the application is up; until then, upgrades are refused.
 */
@ApplicationScoped
public class SocketEndpoint {

  @Inject SocketTickets tickets;
  @Inject ConnectedDevices connected;
  @Inject Envelopes envelopes;
  @Inject CommitQueue commits;
  @Inject RateLimits limits;
  @Inject DirectoryStatuses statuses;

  void serve(@Observes @Initialized(ApplicationScoped.class) Object started) {
    SocketRoute.serve(this);
  }

  /** The socket of a channel just upgraded, reading its frames. On the channel's I/O thread. */
  void open(WebSocketChannel channel) {
    new DeliverySocket(tickets, connected, envelopes, commits, limits, statuses, channel).start();
  }
}
