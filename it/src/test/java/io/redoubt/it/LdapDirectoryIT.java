package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.redoubt.ldapsync.DirectorySettings;
import io.redoubt.ldapsync.LdapDirectory;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * How the server reads group membership from the lab's slapd, with the lab's settings file: across
 * several pages of the people search, with the rules Keycloak federates by, and failing loudly
 * where a quiet answer could take someone's access.
 */
class LdapDirectoryIT {

  private DirectorySettings settings;
  private final List<String> people = new ArrayList<>();
  private String group;

  @BeforeEach
  void people() throws Exception {
    settings = DirectorySettings.load(DirectoryProvisioningIT.SETTINGS);
    people.addAll(LabDirectory.newPeople("l", 25));
    group = "t-ldap-" + people.get(0).substring(1, 8);
    List<String> dns = new ArrayList<>();
    people.subList(0, 20).forEach(uid -> dns.add(LabDirectory.userDn(uid)));
    // A member that is no person below ou=people: the group itself.
    dns.add(LabDirectory.groupDn(group));
    LabDirectory.addGroup(group, dns);
  }

  @AfterEach
  void cleanUp() throws Exception {
    LabDirectory.deleteGroup(group);
    for (String uid : people) {
      LabDirectory.deletePerson(uid);
    }
  }

  private LdapDirectory directory(int pageSize) {
    return new LdapDirectory(settings, Lab.secret("LDAP_ADMIN_PASSWORD"), pageSize);
  }

  @Test
  void readsEveryMemberAcrossPagesAndNobodyElse() throws Exception {
    // Pages of 7 over the lab's people (the demo's and the 25 new ones): several pages.
    Set<String> members = directory(7).memberUsernames(List.of(group));
    assertThat(members).containsExactlyInAnyOrderElementsOf(people.subList(0, 20));
    // Two groups: the union.
    assertThat(directory(7).memberUsernames(List.of(group, "legal")))
        .containsAll(people.subList(0, 20))
        .contains("carol")
        .hasSize(21);
  }

  @Test
  void oneReadAnswersForTheGroupsSecurityGroupsFollowAndNamesOneThatIsMissing() throws Exception {
    List<String> chunks = new ArrayList<>();
    LdapDirectory.Members read =
        directory(7)
            .members(
                List.of(group),
                List.of("legal", "no-such-group"),
                chunk -> chunk.forEach(person -> chunks.add(person.username())));
    assertThat(read.members()).containsExactlyInAnyOrderElementsOf(people.subList(0, 20));
    assertThat(chunks).containsExactlyInAnyOrderElementsOf(read.members());
    assertThat(read.others()).containsOnlyKeys("legal");
    assertThat(read.others().get("legal")).containsExactly("carol");
    assertThat(read.otherFailures()).containsOnlyKeys("no-such-group");
    assertThat(read.otherFailures().get("no-such-group")).contains("no-such-group");
  }

  /**
   * The "slapd stopped mid-run", at the read itself: a run's read of the people stops
   * between two pages, and must fail rather than end as if the directory had no more people (a
   * short read would make everyone after the break look like a leaver). The run's side (a failed
   * read is a failed run that disables nobody) is DirectorySafetyIT's.
   */
  @Test
  void slapdStoppingBetweenPagesFailsTheReadInsteadOfShorteningIt() throws Exception {
    List<String> many = LabDirectory.newPeople("p", 230);
    String big = "t-pages-" + many.get(0).substring(1, 8);
    LabDirectory.addGroup(big, many.stream().map(LabDirectory::userDn).toList());
    List<Integer> handed = new ArrayList<>();
    try {
      // Pages of 7 over some 290 people: the first 200 members are handed on with pages to go.
      assertThatThrownBy(
              () ->
                  directory(7)
                      .members(
                          List.of(big),
                          List.of(),
                          chunk -> {
                            handed.add(chunk.size());
                            LabDirectory.stopSlapd();
                          }))
          .isInstanceOf(IOException.class)
          .hasMessageContaining("LDAP");
      assertThat(handed).containsExactly(LdapDirectory.CHUNK);
    } finally {
      LabDirectory.startSlapd();
      LabDirectory.deleteGroup(big);
      for (String uid : many) {
        LabDirectory.deletePerson(uid);
      }
    }
  }

  @Test
  void answersForOnePerson() throws Exception {
    LdapDirectory ldap = directory(1000);
    assertThat(ldap.isMember(people.get(0), List.of(group))).contains(true);
    assertThat(ldap.isMember(people.get(24), List.of(group))).contains(false);
    assertThat(ldap.isMember("nobody-" + people.get(0), List.of(group)))
        .isEqualTo(Optional.empty());
    // A username can never widen the search.
    assertThat(ldap.isMember("*", List.of(group))).isEqualTo(Optional.empty());
    assertThat(ldap.anyMember(List.of(group))).isTrue();
  }

  @Test
  void aMissingGroupOrAWrongPasswordFailsAndNamesTheFault() {
    assertThatThrownBy(() -> directory(1000).memberUsernames(List.of(group, "no-such-group")))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no-such-group");
    String wrong = "wrong-" + people.get(0);
    assertThatThrownBy(() -> new LdapDirectory(settings, wrong).anyMember(List.of(group)))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("Invalid Credentials")
        .message()
        .doesNotContain(wrong);
  }
}
