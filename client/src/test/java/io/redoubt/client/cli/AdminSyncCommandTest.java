package io.redoubt.client.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.redoubt.protocol.api.SyncRunResponse;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code redoubt admin sync}: help, and how a run reads on the terminal. */
class AdminSyncCommandTest {

  @TempDir Path home;
  private final StringWriter out = new StringWriter();

  @BeforeEach
  void privateHome() {
    System.setProperty("redoubt.home", home.toString());
  }

  @AfterEach
  void restore() {
    System.clearProperty("redoubt.home");
  }

  @ParameterizedTest
  @ValueSource(
      strings = {"admin sync", "admin sync status", "admin sync run", "admin sync confirm"})
  void everyCommandHasHelp(String command) {
    String[] words = (command + " --help").split(" ");
    int status =
        RedoubtCommand.run(new PrintWriter(out, true), new PrintWriter(new StringWriter()), words);

    assertThat(status).isZero();
    assertThat(out.toString()).startsWith("Usage: redoubt " + command);
  }

  @Test
  void aRunningRunShowsItsProgress() {
    describe(run("RUNNING", "reading access group redoubt-users", 1200, null, List.of()));

    assertThat(out.toString())
        .startsWith("run 7  RUNNING  full  started 2026-11-02T10:00:00Z by timer\n")
        .contains("  progress: 1200 users examined; reading access group redoubt-users");
  }

  @Test
  void aHeldRunNamesTenChangesCountsTheRestAndSaysHowToConfirm() {
    List<SyncRunResponse.HeldChange> held =
        IntStream.range(0, 12)
            .mapToObj(i -> new SyncRunResponse.HeldChange("id" + i, "user" + i, "DISABLED"))
            .toList();
    describe(run("HELD", null, 40, "would take access from 12 of 20 active users", held));

    assertThat(out.toString())
        .contains("took 2.5 s")
        .contains("  note: would take access from 12 of 20 active users")
        .contains("  held (12): user0 -> DISABLED, ")
        .contains("user9 -> DISABLED, and 2 more")
        .doesNotContain("user10")
        .contains("  to apply them: redoubt admin sync confirm 7")
        .doesNotContain("progress");
  }

  @Test
  void aFailedRunShowsItsError() {
    describe(run("FAILED", null, 0, "Keycloak is unreachable", List.of()));

    assertThat(out.toString()).contains("  error: Keycloak is unreachable");
  }

  private void describe(SyncRunResponse run) {
    PrintWriter writer = new PrintWriter(out, true);
    AdminSyncCommand.describe(run, writer);
    writer.flush();
  }

  private static SyncRunResponse run(
      String outcome,
      String phase,
      int examined,
      String detail,
      List<SyncRunResponse.HeldChange> held) {
    boolean running = outcome.equals("RUNNING");
    return new SyncRunResponse(
        7,
        true,
        "timer",
        "2026-11-02T10:00:00Z",
        running ? null : "2026-11-02T10:00:02.500Z",
        outcome,
        phase,
        examined,
        examined,
        0,
        0,
        0,
        0,
        0,
        0,
        0,
        detail,
        held,
        null,
        null);
  }
}
