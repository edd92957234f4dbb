package io.redoubt.messaging;

import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.util.Calendar;
import java.util.Collections;
import java.util.List;
import java.util.TimeZone;

/**
 * The few JDBC pieces the batched statements need (placeholders, chunks, bindings) and their
 * conversions, matching what Hibernate writes for the same columns ({@code
 * hibernate.jdbc.time_zone=UTC} in persistence.xml): instants are stored as UTC wall-clock {@code
 * TIMESTAMP(6)}, whatever the JVM's zone.
 */
final class Jdbc {

  private static final TimeZone UTC = TimeZone.getTimeZone("UTC");

  private Jdbc() {}

  static void setInstant(PreparedStatement statement, int index, Instant value)
      throws SQLException {
    // The UTC wall-clock as a LocalDateTime, which the driver writes as it is: the same literal
    // as a Timestamp with a UTC Calendar, without the Calendar (and the SimpleDateFormat the
    // driver built for it) per parameter, which cost the group commit a tenth of its time.
    statement.setObject(index, LocalDateTime.ofInstant(value, ZoneOffset.UTC));
  }

  static Instant instant(ResultSet row, int column) throws SQLException {
    return row.getTimestamp(column, Calendar.getInstance(UTC)).toInstant();
  }

  /** Binds {@code values} as strings from parameter {@code first} on; answers the next index. */
  static int bind(PreparedStatement statement, int first, List<String> values) throws SQLException {
    int p = first;
    for (String value : values) {
      statement.setString(p++, value);
    }
    return p;
  }

  /** Binds {@code values} as longs from parameter 1 on. */
  static void bindLongs(PreparedStatement statement, List<Long> values) throws SQLException {
    int p = 1;
    for (long value : values) {
      statement.setLong(p++, value);
    }
  }

  /** {@code n} placeholders for an IN list: {@code ?, ?, ?}. */
  static String marks(int n) {
    return String.join(", ", Collections.nCopies(n, "?"));
  }

  /** {@code n} rows of {@code columns} placeholders for a multi-row INSERT. */
  static String rows(int n, int columns) {
    return String.join(", ", Collections.nCopies(n, "(" + marks(columns) + ")"));
  }
}
