package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * What an operator sees and does: security groups that follow LDAP groups (the lab's settings file
 * maps {@code operations} to LDAP's {@code ops} and {@code legal} to {@code legal}), and {@code
 * redoubt admin sync} through the real command.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class DirectoryOperatorIT {

  @Deployment(testable = false)
  static EnterpriseArchive deployment() {
    return Deployments.builtEar();
  }

  @RegisterExtension final CliRun cli = new CliRun();

  @Test
  void aSecurityGroupFollowsItsLdapGroup() throws Exception {
    String uid = LabDirectory.newPeople("g", 1).get(0);
    try {
      LabDirectory.addMembers("redoubt-users", List.of(uid));
      LabDirectory.addMembers("ops", List.of(uid));
      JsonNode run = DirectoryAdmin.runNow(false);
      assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");

      JsonNode groups = DirectoryAdmin.get("/api/v1/admin/directory/security-groups");
      List<String> names = new ArrayList<>();
      for (JsonNode group : groups) {
        names.add(group.path("name").asText() + "<-" + group.path("sourceGroup").asText());
      }
      assertThat(names).contains("operations<-ops", "legal<-legal");
      assertThat(members("operations")).contains(uid, "alice", "bob").doesNotContain("carol");
      assertThat(members("legal")).contains("carol").doesNotContain(uid);

      LabDirectory.removeMembers("ops", List.of(uid));
      run = DirectoryAdmin.runNow(false);
      assertThat(run.path("outcome").asText()).as(run.toString()).isEqualTo("SUCCEEDED");
      assertThat(members("operations")).doesNotContain(uid).contains("alice");
      assertThat(DirectoryAdmin.user(uid).path("status").asText())
          .as("leaving a security group is not leaving Redoubt")
          .isEqualTo("ACTIVE");
    } finally {
      LabDirectory.removeMembers("ops", List.of(uid));
      DirectoryAdmin.removePeople(List.of(uid));
    }
  }

  @Test
  void anAdministratorRunsAndWatchesTheReconciliationFromTheCommandLine() throws Exception {
    assertThat(cli.login(null, "ann")).as(cli::err).isZero();

    assertThat(cli.redoubt(null, "admin", "sync", "run", "--full", "--json")).as(cli::err).isZero();
    JsonNode run = Http.JSON.readTree(cli.out());
    assertThat(run.path("outcome").asText()).isEqualTo("SUCCEEDED");
    assertThat(run.path("fullCheck").asBoolean()).isTrue();
    assertThat(run.path("examined").asInt()).isGreaterThanOrEqualTo(6);
    long runId = run.path("runId").asLong();

    assertThat(cli.redoubt(null, "admin", "sync", "status", "--limit", "20")).as(cli::err).isZero();
    assertThat(cli.out())
        .contains("run " + runId + "  SUCCEEDED  full  started ")
        .contains("by admin:ann")
        .containsPattern("seen \\d+, created \\d+, updated \\d+, enabled \\d+, disabled \\d+");

    assertThat(cli.redoubt(null, "admin", "sync", "status", "--json", "--limit", "3"))
        .as(cli::err)
        .isZero();
    JsonNode runs = Http.JSON.readTree(cli.out());
    assertThat(runs.isArray()).isTrue();
    assertThat(runs.size()).isBetween(1, 3);

    assertThat(cli.redoubt(null, "admin", "sync", "confirm", Long.toString(runId))).isEqualTo(1);
    assertThat(cli.err()).contains("nothing confirmed").contains("not HELD");

    assertThat(cli.redoubt(null, "admin", "sync", "status", "--limit", "0")).isEqualTo(2);
  }

  @Test
  void everySyncCommandExplainsItselfAndRefusesNonAdministrators() throws Exception {
    for (String command : List.of("status", "run", "confirm")) {
      assertThat(cli.redoubt(null, "admin", "sync", command, "--help")).isZero();
      assertThat(cli.out()).contains("Usage: redoubt admin sync " + command);
    }
    assertThat(cli.redoubt(null, "admin", "sync", "--help")).isZero();
    assertThat(cli.out()).contains("status").contains("run").contains("confirm");

    assertThat(cli.login(null, "alice")).as(cli::err).isZero();
    assertThat(cli.redoubt(null, "admin", "sync", "status")).isEqualTo(1);
    assertThat(cli.err()).contains("only administrators");
  }

  private static List<String> members(String group) throws Exception {
    JsonNode answer = DirectoryAdmin.get("/api/v1/admin/directory/security-groups/" + group);
    assertThat(answer.path("memberCount").asLong()).isEqualTo(answer.path("members").size());
    List<String> usernames = new ArrayList<>();
    answer.path("members").forEach(m -> usernames.add(m.path("username").asText()));
    return usernames;
  }
}
