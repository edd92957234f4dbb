package io.redoubt.ldapsync;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;
import java.util.Optional;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/**
 * The pure parts of reading the directory: how member DNs are compared, which filter selects the
 * people Keycloak federates, and Active Directory's ranged member lists. The reads themselves run
 * against the lab's slapd in LdapDirectoryIT.
 */
class LdapDirectoryTest {

  @Test
  void anObjectGuidIsWrittenInWindowsByteOrderAsKeycloakRecordsIt() {
    // The GUID {6F9619FF-8B86-D011-B42D-00C04FC964FF} as Windows stores it: the first three
    // fields little-endian.
    byte[] stored = HexFormat.of().parseHex("ff19966f868b11d0b42d00c04fc964ff");
    assertThat(LdapDirectory.guid(stored)).isEqualTo("6f9619ff-8b86-d011-b42d-00c04fc964ff");
  }

  @Test
  void dnsThatNameTheSameEntryCompareEqual() {
    String key = LdapDirectory.dnKey("uid=alice,ou=people,dc=redoubt,dc=test");
    assertThat(LdapDirectory.dnKey("UID=Alice, ou=People,DC=redoubt, dc=TEST")).isEqualTo(key);
    assertThat(LdapDirectory.dnKey("uid=alice,ou=people,dc=other,dc=test")).isNotEqualTo(key);
    // Multi-valued RDNs in any order; escaped values stay escaped, so a comma in a value cannot
    // make two entries look alike.
    assertThat(LdapDirectory.dnKey("cn=A+sn=B,dc=x"))
        .isEqualTo(LdapDirectory.dnKey("sn=B+cn=A,dc=x"));
    assertThat(LdapDirectory.dnKey("cn=Doe\\, John,ou=people,dc=x"))
        .isNotEqualTo(LdapDirectory.dnKey("cn=Doe,cn=John,ou=people,dc=x"));
    assertThatThrownBy(() -> LdapDirectory.dnKey("not a dn"))
        .isInstanceOf(IllegalArgumentException.class);
  }

  @Test
  void thePeopleFilterIsKeycloaksAndEscapesTheUsername() {
    Properties p = new Properties();
    p.setProperty("keycloak.url", "https://localhost:8443");
    p.setProperty("keycloak.realm", "redoubt");
    p.setProperty("keycloak.admin.password", "env:X");
    p.setProperty("keycloak.admin.username", "admin");
    p.setProperty("ldap.vendor", "openldap");
    p.setProperty("ldap.url", "ldap://127.0.0.1:389");
    p.setProperty("ldap.bind-dn", "cn=admin,dc=x");
    p.setProperty("ldap.bind-credential", "env:Y");
    p.setProperty("ldap.users-dn", "ou=people,dc=x");
    p.setProperty("ldap.users-filter", "(!(employeeType=contractor))");
    p.setProperty("ldap.groups-dn", "ou=groups,dc=x");
    p.setProperty("ldap.access-groups", "redoubt-users");
    DirectorySettings settings = DirectorySettings.parse(p);
    assertThat(LdapDirectory.peopleFilter(settings, null))
        .isEqualTo("(&(objectClass=inetOrgPerson)(!(employeeType=contractor)))");
    // A username can never widen the search.
    assertThat(LdapDirectory.peopleFilter(settings, "*)(uid=*"))
        .isEqualTo(
            "(&(objectClass=inetOrgPerson)(!(employeeType=contractor))(uid=\\2a\\29\\28uid=\\2a))");
  }

  @Test
  void activeDirectoryRangesAreFollowedToTheLastOne() {
    assertThat(LdapDirectory.nextRange("member")).isEmpty();
    assertThat(LdapDirectory.nextRange("member;range=0-1499")).contains(1500);
    assertThat(LdapDirectory.nextRange("member;Range=1500-2999")).contains(3000);
    assertThat(LdapDirectory.nextRange("member;range=3000-*")).isEqualTo(Optional.empty());
    assertThatThrownBy(() -> LdapDirectory.nextRange("member;range=7"))
        .isInstanceOf(IllegalArgumentException.class);
  }
}
