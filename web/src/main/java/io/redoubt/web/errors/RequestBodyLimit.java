package io.redoubt.web.errors;

import jakarta.annotation.Priority;
import jakarta.ws.rs.Priorities;
import jakarta.ws.rs.container.ContainerRequestContext;
import jakarta.ws.rs.container.ContainerRequestFilter;
import jakarta.ws.rs.container.ResourceInfo;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.ext.Provider;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;

/**
 * Refuses an API request whose body is larger than any API call needs, with a 413 problem: at once
 * when the declared length says so, before a byte is parsed, and while reading when the body comes
 * without a length (chunked). The container's own limit is far larger, because attachment uploads
 * pass it ({@link OwnBodyLimit} methods, which enforce their own while they stream); without this
 * filter a JSON body could take that much memory.
 */
@Provider
@Priority(Priorities.AUTHENTICATION - 100)
public class RequestBodyLimit implements ContainerRequestFilter {

  /**
   * The largest JSON body the API accepts: an enrollment with 100 one-time prekeys is about 40 KiB;
   * a megabyte leaves room for every request the API has without inviting memory abuse.
   */
  public static final long MAX_BYTES = 1 << 20;

  @Context ResourceInfo resource;

  @Override
  public void filter(ContainerRequestContext request) {
    if (resource != null
        && resource.getResourceMethod() != null
        && resource.getResourceMethod().isAnnotationPresent(OwnBodyLimit.class)) {
      return;
    }
    if (request.getLength() > MAX_BYTES) {
      request.abortWith(tooLarge(request.getUriInfo().getRequestUri().getRawPath()).toResponse());
      return;
    }
    if (request.hasEntity()) {
      request.setEntityStream(new Limited(request.getEntityStream()));
    }
  }

  static Problem tooLarge(String path) {
    return Problem.ofStatus(
        413, "The request body is larger than the API's limit of " + MAX_BYTES + " bytes.", path);
  }

  /** Thrown by the reader of a body without a declared length once it passes the limit. */
  static final class TooLargeException extends IOException {
    private static final long serialVersionUID = 1L;

    TooLargeException() {
      super("request body over " + MAX_BYTES + " bytes");
    }
  }

  private static final class Limited extends FilterInputStream {
    private long read;

    Limited(InputStream in) {
      super(in);
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        count(1);
      }
      return b;
    }

    @Override
    public int read(byte[] buffer, int offset, int length) throws IOException {
      int n = super.read(buffer, offset, length);
      if (n > 0) {
        count(n);
      }
      return n;
    }

    private void count(int n) throws TooLargeException {
      read += n;
      if (read > MAX_BYTES) {
        throw new TooLargeException();
      }
    }
  }
}
