package io.redoubt.web.errors;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.PreMatching;
import jakarta.ws.rs.ext.Provider;

/**
 * Refuses an API request whose declared body is larger than any API call needs, with a 413 problem,
 * before a byte of it is parsed. Without it the container's own, much larger, limit would drop the
 * connection without an answer. (Attachment uploads, which stream, will get their own endpoint and
 * limit.)
 */
@Provider
@PreMatching
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyLimit implements ContainerRequestFilter {

  /**
   * The largest JSON body the API accepts: an enrollment with 100 one-time prekeys is about 40 KiB;
   * a megabyte leaves room for every request the API has without inviting memory abuse.
   */
  public static final long MAX_BYTES = 1 << 20;

  @Override
  public void filter(ContainerRequestContext request) {
    if (request.getLength() > MAX_BYTES) {
      request.abortWith(
          Problem.ofStatus(
                  413,
                  "The request body is larger than the API's limit of " + MAX_BYTES + " bytes.",
                  request.getUriInfo().getRequestUri().getRawPath())
              .toResponse());
    }
  }
}
