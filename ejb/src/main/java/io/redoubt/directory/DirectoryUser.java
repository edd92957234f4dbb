package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.Objects;

/**
 * A user id, the login name the identity provider last gave it, and what the directory says about
 * the person: name, email, and whether they may use Redoubt.
 */
@Entity
@Table(name = "directory_user")
@NamedQuery(
    name = DirectoryUser.BY_USERNAME,
    query = "SELECT u FROM DirectoryUser u WHERE u.username = :username")
@NamedQuery(
    name = DirectoryUser.IDS_WITH_STATUS,
    query =
        "SELECT u FROM DirectoryUser u WHERE u.status IN :statuses AND u.userId > :after"
            + " ORDER BY u.userId")
@NamedQuery(
    name = DirectoryUser.BY_USERNAMES,
    query = "SELECT u FROM DirectoryUser u WHERE u.username IN :usernames")
@NamedQuery(
    name = DirectoryUser.BY_IDS,
    query = "SELECT u FROM DirectoryUser u WHERE u.userId IN :ids")
@NamedQuery(
    name = DirectoryUser.MARK_IN_DIRECTORY,
    query = "UPDATE DirectoryUser u SET u.lastInDirectory = :at WHERE u.userId IN :ids")
@NamedQuery(
    name = DirectoryUser.COUNT_WITH_STATUS,
    query = "SELECT COUNT(u) FROM DirectoryUser u WHERE u.status = :status")
public class DirectoryUser {

  static final String BY_USERNAME = "DirectoryUser.byUsername";
  static final String IDS_WITH_STATUS = "DirectoryUser.idsWithStatus";
  static final String BY_USERNAMES = "DirectoryUser.byUsernames";
  static final String BY_IDS = "DirectoryUser.byIds";
  static final String MARK_IN_DIRECTORY = "DirectoryUser.markInDirectory";
  static final String COUNT_WITH_STATUS = "DirectoryUser.countWithStatus";

  @Id
  @Column(name = "user_id")
  private String userId;

  @Column(nullable = false)
  private String username;

  @Column(name = "first_seen", nullable = false, updatable = false)
  private Instant firstSeen;

  @Column(name = "last_seen", nullable = false)
  private Instant lastSeen;

  @Column(name = "display_name")
  private String displayName;

  @Column(name = "email")
  private String email;

  @Enumerated(EnumType.STRING)
  @Column(nullable = false, length = 16)
  private UserStatus status = UserStatus.ACTIVE;

  @Column(name = "status_changed_at")
  private Instant statusChangedAt;

  @Column(name = "last_in_directory")
  private Instant lastInDirectory;

  /** The id of the directory entry a run last matched this user to; null until one has. */
  @Column(name = "ldap_uuid", length = 64)
  private String ldapUuid;

  protected DirectoryUser() {}

  DirectoryUser(String userId, String username, Instant seen) {
    this.userId = userId;
    this.username = username;
    this.firstSeen = seen;
    this.lastSeen = seen;
  }

  void seenAs(String name, Instant at) {
    this.username = name;
    this.lastSeen = at;
  }

  /**
   * Records what the directory says now; returns whether name, email or login name changed. Status
   * is changed separately ({@link #changeStatus}), because disabling has consequences.
   */
  /** Whether the directory's name, display name or email differ from what is recorded. */
  boolean differsFrom(String name, String display, String mail) {
    return !name.equals(username)
        || !Objects.equals(display, displayName)
        || !Objects.equals(mail, email);
  }

  boolean foundInDirectory(String name, String display, String mail, Instant at) {
    boolean changed = differsFrom(name, display, mail);
    username = name;
    displayName = display;
    email = mail;
    lastInDirectory = at;
    return changed;
  }

  void changeStatus(UserStatus to, Instant at) {
    status = to;
    statusChangedAt = at;
  }

  public UserStatus status() {
    return status;
  }

  public String displayName() {
    return displayName;
  }

  public String email() {
    return email;
  }

  public Instant statusChangedAt() {
    return statusChangedAt;
  }

  public String ldapUuid() {
    return ldapUuid;
  }

  void matchedToEntry(String uuid) {
    ldapUuid = uuid;
  }

  public Instant lastInDirectory() {
    return lastInDirectory;
  }

  public String userId() {
    return userId;
  }

  public String username() {
    return username;
  }
}
