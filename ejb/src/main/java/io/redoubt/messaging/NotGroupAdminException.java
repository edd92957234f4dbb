package io.redoubt.messaging;

/** A member who is not a group admin tried what only admins may do. */
public class NotGroupAdminException extends Exception {

  private static final long serialVersionUID = 1L;

  public NotGroupAdminException(String action) {
    super("Only the group's admins may " + action + ".");
  }
}
