package io.redoubt.messaging;

/** An envelope the server refuses before storing anything; {@link #reason} says which rule. */
public class EnvelopeRejectedException extends Exception {

  private static final long serialVersionUID = 1L;

  /** Why, with the HTTP status and problem slug the API answers with. */
  public enum Reason {
    /** Not well formed: a field missing or malformed, another conversation's id in the header. */
    MALFORMED(400, "malformed-envelope"),
    /** The header's sender is not the user and device that authenticated the request. */
    SENDER_NOT_AUTHENTICATED_DEVICE(403, "sender-not-authenticated-device"),
    /** The expiry is in the past or beyond the policy's maximum lifetime. */
    LIFETIME(400, "lifetime-not-allowed"),
    /** Content or attachment count above the limits. */
    TOO_LARGE(413, "envelope-too-large"),
    /** An attachment that does not exist or is not the sender's to reference. */
    ATTACHMENT(400, "unknown-attachment"),
    /** The server-side signature check (when switched on) failed. */
    BAD_SIGNATURE(400, "bad-envelope-signature");

    private final int status;
    private final String slug;

    Reason(int status, String slug) {
      this.status = status;
      this.slug = slug;
    }

    public int status() {
      return status;
    }

    public String slug() {
      return slug;
    }
  }

  private final Reason reason;

  public EnvelopeRejectedException(Reason reason, String message) {
    super(message);
    this.reason = reason;
  }

  public Reason reason() {
    return reason;
  }
}
