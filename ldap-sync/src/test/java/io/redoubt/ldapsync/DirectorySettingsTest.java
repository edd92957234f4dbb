package io.redoubt.ldapsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DirectorySettingsTest {

  static final String OPENLDAP =
      """
      keycloak.url=https://sso.agency.example:8443
      keycloak.admin.username=admin
      keycloak.admin.password=env:KEYCLOAK_ADMIN_PASSWORD
      ldap.vendor=openldap
      ldap.url=ldap://ldap.agency.example:389
      ldap.start-tls=true
      ldap.bind-dn=cn=keycloak,ou=services,dc=agency,dc=example
      ldap.bind-credential=file:/etc/redoubt/ldap-bind
      ldap.users-dn=ou=people,dc=agency,dc=example
      ldap.groups-dn=ou=groups,dc=agency,dc=example
      ldap.access-groups=redoubt-users, redoubt-admins
      """;

  static Properties props(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return p;
  }

  @Test
  void readsAMinimalOpenLdapFileWithDefaults() throws Exception {
    DirectorySettings s = DirectorySettings.parse(props(OPENLDAP));
    assertThat(s.realm()).isEqualTo("redoubt");
    assertThat(s.vendor()).isEqualTo(VendorProfile.OPENLDAP);
    assertThat(s.usernameAttribute()).isEqualTo("uid");
    assertThat(s.uuidAttribute()).isEqualTo("entryUUID");
    assertThat(s.startTls()).isTrue();
    assertThat(s.accessGroups()).containsExactly("redoubt-users", "redoubt-admins");
    assertThat(s.changedUsersSyncPeriod()).isEqualTo(Duration.ofSeconds(30));
    assertThat(s.fullSyncPeriod()).contains(Duration.ofDays(1));
    assertThat(s.bindCredential().toString()).isEqualTo("file:/etc/redoubt/ldap-bind");
    assertThat(s.adminUsername()).contains("admin");
    assertThat(s.federationName()).isEqualTo("ldap");
  }

  @Test
  void activeDirectoryProfileUsesSamAccountNameAndObjectGuid() throws Exception {
    DirectorySettings s =
        DirectorySettings.parse(
            props(
                OPENLDAP.replace("ldap.vendor=openldap", "ldap.vendor=active-directory")
                    + "ldap.sync.changed-users-period=1m\nldap.sync.full-period=off\n"));
    assertThat(s.usernameAttribute()).isEqualTo("sAMAccountName");
    assertThat(s.uuidAttribute()).isEqualTo("objectGUID");
    assertThat(s.userObjectClasses()).containsExactly("person", "organizationalPerson", "user");
    assertThat(s.changedUsersSyncPeriod()).isEqualTo(Duration.ofMinutes(1));
    assertThat(s.fullSyncPeriod()).isEmpty();
  }

  @Test
  void keycloaksUserCacheIsBoundedByDefaultAndNeverTurnedIntoZero() throws Exception {
    assertThat(DirectorySettings.parse(props(OPENLDAP)).userCacheLifespan())
        .isEqualTo(Duration.ofMinutes(5));
    assertThat(
            DirectorySettings.parse(props(OPENLDAP + "ldap.user-cache-lifespan=1m\n"))
                .userCacheLifespan())
        .isEqualTo(Duration.ofMinutes(1));
    assertThatThrownBy(
            () -> DirectorySettings.parse(props(OPENLDAP + "ldap.user-cache-lifespan=0\n")))
        .hasMessageContaining("ldap.user-cache-lifespan must be a period");
  }

  @Test
  void aClearTextSecretIsRefusedWithoutEchoingIt() throws Exception {
    String secret = "Sup3r-Secret-Bind-Password";
    assertThatThrownBy(
            () ->
                DirectorySettings.parse(
                    props(
                        OPENLDAP.replace(
                            "ldap.bind-credential=file:/etc/redoubt/ldap-bind",
                            "ldap.bind-credential=" + secret))))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessageContaining("ldap.bind-credential")
        .hasMessageNotContaining(secret);
  }

  @Test
  void reportsEveryProblemAtOnce() throws Exception {
    assertThatThrownBy(
            () ->
                DirectorySettings.parse(
                    props(
                        """
                        keycloak.url=ftp://nope
                        ldap.vendor=novell
                        ldap.url=ldaps://x
                        ldap.start-tls=true
                        ldap.sync.changed-users-period=soon
                        ldap.users-filter=objectClass=person
                        ldap.acces-groups=typo
                        """)))
        .hasMessageContaining("keycloak.url must be a http or https URL")
        .hasMessageContaining("ldap.vendor must be openldap or active-directory")
        .hasMessageContaining("ldap.start-tls=true needs an ldap:// URL")
        .hasMessageContaining("ldap.sync.changed-users-period must be a period")
        .hasMessageContaining("ldap.users-filter must be an LDAP filter")
        .hasMessageContaining("ldap.acces-groups is not a known setting")
        .hasMessageContaining("ldap.bind-dn is required")
        .hasMessageContaining("keycloak.admin.client-secret is required");
  }

  @Test
  void secretReferencesResolveFromEnvironmentAndFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("bind");
    Files.writeString(file, "from-a-file\n");
    assertThat(SecretReference.parse("file:" + file).resolve(Map.of())).isEqualTo("from-a-file");
    assertThat(SecretReference.parse("env:X").resolve(Map.of("X", "from-env")))
        .isEqualTo("from-env");
    assertThat(SecretReference.parse("vault:ldap_bind").forKeycloak(Map.of()))
        .isEqualTo("${vault.ldap_bind}");
    assertThatThrownBy(() -> SecretReference.parse("env:X").resolve(Map.of()))
        .hasMessageContaining("X is not set");
    assertThatThrownBy(() -> SecretReference.parse("file:relative/path"))
        .hasMessageContaining("absolute");
  }

  @Test
  void loadsFromAFile(@TempDir Path dir) throws Exception {
    Path file = dir.resolve("directory.properties");
    Files.writeString(file, OPENLDAP + "ldap.users-filter=(employeeType=staff)\n");
    assertThat(DirectorySettings.load(file).usersFilter())
        .isEqualTo(Optional.of("(employeeType=staff)"));
    assertThat(DirectorySettings.load(file).accessGroups())
        .isEqualTo(List.of("redoubt-users", "redoubt-admins"));
  }

  @Test
  void securityGroupsMapANameToTheLdapGroupItFollows() throws Exception {
    DirectorySettings s =
        DirectorySettings.parse(
            props(OPENLDAP + "security-group.operations=ops\nsecurity-group.legal=Legal Team\n"));
    assertThat(s.securityGroups())
        .containsExactly(Map.entry("legal", "Legal Team"), Map.entry("operations", "ops"));
    assertThat(DirectorySettings.parse(props(OPENLDAP)).securityGroups()).isEmpty();
  }

  @Test
  void aSecurityGroupNeedsAPlainNameAndASourceGroup() throws Exception {
    assertThatThrownBy(
            () ->
                DirectorySettings.parse(
                    props(OPENLDAP + "security-group.Ops_Team=ops\nsecurity-group.legal=\n")))
        .hasMessageContaining("security-group.Ops_Team: a security group's name is 1 to 64")
        .hasMessageContaining("security-group.legal must name the LDAP (Keycloak) group");
  }
}
