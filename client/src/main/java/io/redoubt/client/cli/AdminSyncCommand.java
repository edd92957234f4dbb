package io.redoubt.client.cli;

import io.redoubt.client.Json;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.api.SyncRunResponse;
import java.io.PrintWriter;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code redoubt admin sync}: the directory reconciliation (LDAP through Keycloak into Redoubt) for
 * operators: what the last runs did, a run now, and confirming a run the safety rule held.
 */
@Command(
    name = "sync",
    mixinStandardHelpOptions = true,
    description = {
      "The directory reconciliation (LDAP -> Keycloak -> Redoubt):",
      "  redoubt admin sync status          the last runs, a running one with its progress",
      "  redoubt admin sync run [--full]    run one now and show what it did",
      "  redoubt admin sync confirm RUN_ID  apply the changes a HELD run waits to make"
    },
    subcommands = {
      AdminSyncCommand.Status.class,
      AdminSyncCommand.Run.class,
      AdminSyncCommand.Confirm.class,
      CommandLine.HelpCommand.class
    })
final class AdminSyncCommand {

  /** Held changes listed by name in the text output; the rest are counted. */
  private static final int HELD_LISTED = 10;

  @ParentCommand AdminCommand admin;

  /** {@code redoubt admin sync status}. */
  @Command(
      name = "status",
      mixinStandardHelpOptions = true,
      description = {
        "Show the newest reconciliation runs: when they started and finished, what they did"
            + " (users seen, created, updated, enabled, disabled, removed; security-group"
            + " changes), errors, and the changes a HELD run waits to make.",
        "A run still working shows its progress: users examined so far and what it is doing."
      })
  static final class Status implements Callable<Integer> {

    @ParentCommand AdminSyncCommand sync;
    @Spec CommandSpec spec;

    @Option(
        names = "--limit",
        paramLabel = "N",
        defaultValue = "5",
        description = "How many runs to show, newest first (1 to 200; default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--json", description = "Print the runs as a JSON array.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      if (limit < 1 || limit > 200) {
        throw new CommandLine.ParameterException(
            spec.commandLine(), "--limit must be from 1 to 200");
      }
      Session session = sync.admin.session();
      List<SyncRunResponse> runs;
      try {
        runs = session.client().syncRuns(session.accessToken(), limit);
      } catch (RedoubtApiException e) {
        throw AdminCommand.explained(e);
      }
      PrintWriter out = spec.commandLine().getOut();
      if (json) {
        out.println(Json.WRITER.writeValueAsString(runs));
      } else if (runs.isEmpty()) {
        out.println("No reconciliation has run yet.");
      } else {
        runs.forEach(run -> describe(run, out));
      }
      out.flush();
      return 0;
    }
  }

  /** {@code redoubt admin sync run [--full]}. */
  @Command(
      name = "run",
      mixinStandardHelpOptions = true,
      description = {
        "Run a reconciliation now and show what it did; waits until it is done.",
        "Exit status 0 when it SUCCEEDED or was HELD (see confirm), 1 when it FAILED (nobody"
            + " lost access) or one is already running."
      })
  static final class Run implements Callable<Integer> {

    @ParentCommand AdminSyncCommand sync;
    @Spec CommandSpec spec;

    @Option(
        names = "--full",
        description =
            "A full check: also look at DISABLED users (are they gone from the directory?).")
    boolean full;

    @Option(names = "--json", description = "Print the finished run as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Session session = sync.admin.session();
      SyncRunResponse run;
      try {
        run = session.client().runSync(session.accessToken(), full);
      } catch (RedoubtApiException e) {
        if (e.status() == 409) {
          throw new RedoubtCommand.UserFacingException(
              "a reconciliation is already running; watch it with: redoubt admin sync status");
        }
        throw AdminCommand.explained(e);
      }
      return shown(run, json, spec.commandLine().getOut());
    }
  }

  /** {@code redoubt admin sync confirm RUN_ID}. */
  @Command(
      name = "confirm",
      mixinStandardHelpOptions = true,
      description = {
        "Apply the changes a HELD run waits to make (it would have taken access from more"
            + " users at once than the safety rule allows).",
        "Only the newest held run can be confirmed: a later run that read the directory again"
            + " supersedes it. Check its held changes first with: redoubt admin sync status"
      })
  static final class Confirm implements Callable<Integer> {

    @ParentCommand AdminSyncCommand sync;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "RUN_ID", description = "The held run, as status shows it.")
    long runId;

    @Option(names = "--json", description = "Print the confirmed run as JSON.")
    boolean json;

    @Override
    public Integer call() throws Exception {
      Session session = sync.admin.session();
      SyncRunResponse run;
      try {
        run = session.client().confirmSync(session.accessToken(), runId);
      } catch (RedoubtApiException e) {
        if (e.status() == 404) {
          throw new RedoubtCommand.UserFacingException(
              "nothing confirmed: "
                  + (e.getMessage() == null ? "no held run " + runId : e.getMessage()));
        }
        throw AdminCommand.explained(e);
      }
      return shown(run, json, spec.commandLine().getOut());
    }
  }

  private static int shown(SyncRunResponse run, boolean json, PrintWriter out) throws Exception {
    if (json) {
      out.println(Json.WRITER.writeValueAsString(run));
    } else {
      describe(run, out);
    }
    out.flush();
    return "FAILED".equals(run.outcome()) ? RedoubtCommand.FAILED : 0;
  }

  /** A run in a few lines a person reads at a glance. */
  static void describe(SyncRunResponse run, PrintWriter out) {
    out.printf(
        "run %d  %s  %s  started %s by %s%s%n",
        run.runId(),
        run.outcome(),
        run.fullCheck() ? "full" : "quick",
        run.startedAt(),
        run.triggeredBy(),
        run.finishedAt() == null ? "" : ", took " + took(run.startedAt(), run.finishedAt()));
    if ("RUNNING".equals(run.outcome())) {
      out.printf(
          "  progress: %d users examined; %s%n",
          run.examined(), run.phase() == null ? "starting" : run.phase());
    }
    out.printf(
        "  seen %d, created %d, updated %d, enabled %d, disabled %d, removed %d;"
            + " security groups +%d -%d%n",
        run.seen(),
        run.created(),
        run.updated(),
        run.enabled(),
        run.disabled(),
        run.removed(),
        run.groupJoins(),
        run.groupLeaves());
    if (run.detail() != null) {
      out.printf("  %s: %s%n", "FAILED".equals(run.outcome()) ? "error" : "note", run.detail());
    }
    if (!run.held().isEmpty()) {
      StringBuilder names = new StringBuilder();
      run.held().stream()
          .limit(HELD_LISTED)
          .forEach(
              h ->
                  names
                      .append(names.length() == 0 ? "" : ", ")
                      .append(h.username() == null ? h.userId() : h.username())
                      .append(" -> ")
                      .append(h.newStatus()));
      if (run.held().size() > HELD_LISTED) {
        names.append(", and ").append(run.held().size() - HELD_LISTED).append(" more");
      }
      out.printf("  held (%d): %s%n", run.held().size(), names);
      out.printf("  to apply them: redoubt admin sync confirm %d%n", run.runId());
    }
    if (run.confirmedBy() != null) {
      out.printf("  confirmed by %s at %s%n", run.confirmedBy(), run.confirmedAt());
    }
  }

  private static String took(String started, String finished) {
    if (started == null || finished == null) {
      return "?";
    }
    try {
      Duration took = Duration.between(Instant.parse(started), Instant.parse(finished));
      return String.format(Locale.ROOT, "%.1f s", took.toMillis() / 1000.0);
    } catch (DateTimeParseException e) {
      return "?";
    }
  }
}
