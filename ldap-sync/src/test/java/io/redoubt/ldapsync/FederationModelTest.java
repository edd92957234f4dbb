package io.redoubt.ldapsync;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.StringReader;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

class FederationModelTest {

  static DirectorySettings settings(String text) throws Exception {
    Properties p = new Properties();
    p.load(new StringReader(text));
    return DirectorySettings.parse(p);
  }

  @Test
  void openLdapFederationIsReadOnlyWithPeriodicChangedUsersSync() throws Exception {
    ComponentSpec ldap = FederationModel.federation(settings(DirectorySettingsTest.OPENLDAP));
    assertThat(ldap.providerId()).isEqualTo("ldap");
    assertThat(ldap.config())
        .containsEntry("editMode", List.of("READ_ONLY"))
        .containsEntry("vendor", List.of("other"))
        .containsEntry("changedSyncPeriod", List.of("30"))
        .containsEntry("fullSyncPeriod", List.of("86400"))
        .containsEntry("cachePolicy", List.of("MAX_LIFESPAN"))
        .containsEntry("maxLifespan", List.of("300000"))
        .containsEntry("startTls", List.of("true"))
        .containsEntry("usernameLDAPAttribute", List.of("uid"))
        .containsEntry("uuidLDAPAttribute", List.of("entryUUID"))
        .containsEntry("bindDn", List.of("cn=keycloak,ou=services,dc=agency,dc=example"))
        // The secret is never part of the compared model.
        .doesNotContainKey(FederationModel.BIND_CREDENTIAL);
  }

  @Test
  void activeDirectoryMapsSamAccountNameObjectGuidAndAccountControl() throws Exception {
    DirectorySettings ad =
        settings(
            DirectorySettingsTest.OPENLDAP.replace(
                "ldap.vendor=openldap", "ldap.vendor=active-directory"));
    ComponentSpec ldap = FederationModel.federation(ad);
    assertThat(ldap.config())
        .containsEntry("vendor", List.of("ad"))
        .containsEntry("usernameLDAPAttribute", List.of("sAMAccountName"))
        .containsEntry("uuidLDAPAttribute", List.of("objectGUID"))
        .containsEntry("rdnLDAPAttribute", List.of("cn"));
    List<ComponentSpec> mappers = FederationModel.mappers(ad);
    assertThat(mappers)
        .extracting(ComponentSpec::providerId)
        .contains("msad-user-account-control-mapper", "group-ldap-mapper");
    ComponentSpec username =
        mappers.stream().filter(m -> m.name().equals("username")).findFirst().orElseThrow();
    assertThat(username.config()).containsEntry("ldap.attribute", List.of("sAMAccountName"));
    ComponentSpec groups =
        mappers.stream().filter(m -> m.name().equals("groups")).findFirst().orElseThrow();
    assertThat(groups.config())
        .containsEntry("group.object.classes", List.of("group"))
        .containsEntry("mode", List.of("READ_ONLY"));
  }

  @Test
  void openLdapHasNoAccountControlMapper() throws Exception {
    assertThat(FederationModel.mappers(settings(DirectorySettingsTest.OPENLDAP)))
        .extracting(ComponentSpec::name)
        .containsExactly(
            "username",
            "first name",
            "last name",
            "email",
            "creation date",
            "modify date",
            "groups");
  }

  @Test
  void differencesIgnoreKeycloakOwnKeysAndTreatAbsentAsEmpty() throws Exception {
    var actual =
        new ObjectMapper()
            .readTree(
                "{\"a\":[\"1\"],\"lastSync\":[\"1700000000\"],\"b\":[\"old\"],\"bindCredential\":[\"**********\"]}");
    Map<String, List<String>> wanted =
        Map.of("a", List.of("1"), "b", List.of("new"), "filter", List.of(""));
    assertThat(FederationProvisioner.differences(wanted, actual)).containsExactly("b");
  }
}
