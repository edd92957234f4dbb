package io.redoubt.messaging;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Calendar;
import java.util.List;
import java.util.TimeZone;

/**
 * The few JDBC conversions the batched statements need, matching what Hibernate writes for the same
 * columns ({@code hibernate.jdbc.time_zone=UTC} in persistence.xml): instants are stored as UTC
 * wall-clock {@code TIMESTAMP(6)}, whatever the JVM's zone.
 */
final class Jdbc {

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private Jdbc() {}

  static void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    // A Calendar per call: the driver may keep and mutate it, and it is not thread-safe.
    statement.setTimestamp(index, Timestamp.from(value), Calendar.getInstance(UTC));
  }

  static Instant instant(ResultSet row, int column) throws SQLException {
    return row.getTimestamp(column, Calendar.getInstance(UTC)).toInstant();
  }

  /** Binds {@code values} as strings from parameter {@code first} on. */
  static void bind(PreparedStatement statement, int first, List<String> values)
      throws SQLException {
    int p = first;
    for (String value : values) {
      statement.setString(p++, value);
    }
  }
}
