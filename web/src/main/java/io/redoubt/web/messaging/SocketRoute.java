package io.redoubt.web.messaging;

import io.undertow.server.HandlerWrapper;
import io.undertow.server.HttpHandler;
import io.undertow.servlet.ServletExtension;
import io.undertow.servlet.api.DeploymentInfo;
import io.undertow.util.AttachmentKey;
import io.undertow.websockets.WebSocketConnectionCallback;
import io.undertow.websockets.WebSocketProtocolHandshakeHandler;
import io.undertow.websockets.core.WebSocketChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.spi.WebSocketHttpExchange;
import jakarta.servlet.ServletContext;

/**
 * Routes {@code /ws} upgrades to Undertow's WebSocket handshake ahead of the servlet chain, and the
 * upgraded channels to {@link DeliverySocket}s.
 *
 * <p>A device authenticates on its socket with a ticket in its first frame, never with the HTTP
 * upgrade, so the upgrade needs none of what the servlet chain gives every request: Jakarta
 * Security's authentication (which finds no credentials and lets the upgrade through), the servlet
 * request and response, a CDI-made endpoint with its creational context, and Jakarta WebSocket's
 * session, its maps and its message dispatch. Measured in the lab, leaving them out took about a
 * third off WildFly's CPU per socket set-up and about 1.5 KB off every open socket (ADR 0013).
 * Every other path goes on down the chain unchanged.
 *
 * <p>Registered as an Undertow {@link ServletExtension} ({@code
 * META-INF/services/io.undertow.servlet.ServletExtension}).
 */
public class SocketRoute implements ServletExtension {

  /** The socket's path, under the application's root. */
  static final String PATH = "/ws";

  /** Why an upgrade that arrives before the application has started is closed (1013). */
  static final String STARTING = "the server is starting; try again";

  /** The HTTP connection an upgrade came over, for the socket to release its leftovers. */
  private static final AttachmentKey<Object> HTTP_CONNECTION = AttachmentKey.create(Object.class);

  /** Set once the application has started (see {@link SocketEndpoint}). */
  private static volatile SocketEndpoint endpoint;

  static void serve(SocketEndpoint started) {
    endpoint = started;
  }

  @Override
  public void handleDeployment(DeploymentInfo deployment, ServletContext context) {
    deployment.addOuterHandlerChainWrapper(new Wrapper());
  }

  private static final class Wrapper implements HandlerWrapper {
    @Override
    public HttpHandler wrap(HttpHandler next) {
      // Not an upgrade (a plain GET /ws, say): the rest of the chain answers it as before.
      WebSocketProtocolHandshakeHandler handshake =
          new WebSocketProtocolHandshakeHandler(new Connected(), next);
      return exchange -> {
        if (PATH.equals(exchange.getRelativePath())) {
          exchange.putAttachment(HTTP_CONNECTION, exchange.getConnection());
          handshake.handleRequest(exchange);
        } else {
          next.handleRequest(exchange);
        }
      };
    }
  }

  private static final class Connected implements WebSocketConnectionCallback {
    @Override
    public void onConnect(WebSocketHttpExchange upgrade, WebSocketChannel channel) {
      SocketUpgrade.release(upgrade.getAttachment(HTTP_CONNECTION));
      SocketEndpoint serving = endpoint;
      if (serving == null) {
        WebSockets.sendClose(ConnectedDevices.TRY_AGAIN_LATER, STARTING, channel, null);
        return;
      }
      serving.open(channel);
    }
  }
}
