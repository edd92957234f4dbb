package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.time.Instant;

/** A user id and the login name the identity provider last gave it. */
@Entity
@Table(name = "directory_user")
@NamedQuery(
    name = DirectoryUser.BY_USERNAME,
    query = "SELECT u FROM DirectoryUser u WHERE u.username = :username")
public class DirectoryUser {

  static final String BY_USERNAME = "DirectoryUser.byUsername";

  @Id
  @Column(name = "user_id")
  private String userId;

  @Column(nullable = false)
  private String username;

  @Column(name = "first_seen", nullable = false, updatable = false)
  private Instant firstSeen;

  @Column(name = "last_seen", nullable = false)
  private Instant lastSeen;

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

  public String userId() {
    return userId;
  }

  public String username() {
    return username;
  }
}
