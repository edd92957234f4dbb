package io.redoubt.it;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * SQL against the lab's {@code redoubt} database as MariaDB's root over its socket, for tests that
 * must see or set up what the API does not show (a user's blob records). Statements are the test's
 * own constants and ids it made: nothing from a server answer is spliced in unchecked.
 */
final class LabDatabase {

  private LabDatabase() {}

  /** Runs {@code sql}; returns the rows, tab-separated, without a header. */
  static List<String> query(String sql) throws Exception {
    Process client =
        new ProcessBuilder(
                "mariadb",
                "--no-defaults",
                "--socket=" + Lab.env("DB_SOCKET"),
                "-u",
                "root",
                "--batch",
                "--skip-column-names",
                "redoubt",
                "-e",
                sql)
            .redirectError(ProcessBuilder.Redirect.INHERIT)
            .start();
    String out = new String(client.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!client.waitFor(1, TimeUnit.MINUTES) || client.exitValue() != 0) {
      throw new IllegalStateException("mariadb failed on: " + sql);
    }
    return out.lines().toList();
  }

  /** The one value {@code sql} selects. */
  static String single(String sql) throws Exception {
    List<String> rows = query(sql);
    if (rows.size() != 1) {
      throw new IllegalStateException(rows.size() + " rows from: " + sql);
    }
    return rows.get(0);
  }
}
