package io.redoubt.directory;

import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.NamedQuery;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.util.Objects;

/** A status change a run held back until an administrator confirms it. */
@Entity
@Table(name = "directory_sync_held")
@IdClass(HeldChange.Key.class)
@NamedQuery(name = HeldChange.OF_RUN, query = "SELECT h FROM HeldChange h WHERE h.runId = :runId")
public class HeldChange {

  static final String OF_RUN = "HeldChange.ofRun";

  /** The composite key. */
  public static class Key implements Serializable {
    private static final long serialVersionUID = 1L;
    Long runId;
    String userId;

    @Override
    public boolean equals(Object o) {
      return o instanceof Key k
          && Objects.equals(k.runId, runId)
          && Objects.equals(k.userId, userId);
    }

    @Override
    public int hashCode() {
      return Objects.hash(runId, userId);
    }
  }

  @Id
  @Column(name = "run_id")
  private Long runId;

  @Id
  @Column(name = "user_id")
  private String userId;

  @Enumerated(EnumType.STRING)
  @Column(name = "new_status", nullable = false, length = 16)
  private UserStatus newStatus;

  protected HeldChange() {}

  HeldChange(Long runId, String userId, UserStatus newStatus) {
    this.runId = runId;
    this.userId = userId;
    this.newStatus = newStatus;
  }

  public String userId() {
    return userId;
  }

  public UserStatus newStatus() {
    return newStatus;
  }
}
