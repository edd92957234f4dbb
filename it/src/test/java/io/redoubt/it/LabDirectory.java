package io.redoubt.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Hashtable;
import java.util.List;
import java.util.Locale;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import javax.naming.Context;
import javax.naming.NameNotFoundException;
import javax.naming.NamingException;
import javax.naming.directory.AttributeInUseException;
import javax.naming.directory.BasicAttribute;
import javax.naming.directory.BasicAttributes;
import javax.naming.directory.DirContext;
import javax.naming.directory.InitialDirContext;
import javax.naming.directory.ModificationItem;
import javax.naming.directory.NoSuchAttributeException;

/**
 * The lab's slapd as the directory's administrator changes it: people and group memberships, and
 * slapd itself stopped and started again. Every change is idempotent (adding what is there,
 * removing what is not, are no-ops), so that tests can clean up without knowing how far they got.
 */
final class LabDirectory {

  static final String PEOPLE = "ou=people,dc=redoubt,dc=test";
  static final String GROUPS = "ou=groups,dc=redoubt,dc=test";

  private LabDirectory() {}

  static String userDn(String uid) {
    return "uid=" + uid + "," + PEOPLE;
  }

  static String groupDn(String cn) {
    return "cn=" + cn + "," + GROUPS;
  }

  /** A person with the lab's demo password, so that {@link Lab#signIn} works for them. */
  static void addPerson(String uid, String givenName, String surname) throws NamingException {
    var attributes = new BasicAttributes(true);
    attributes.put("objectClass", "inetOrgPerson");
    attributes.put("uid", uid);
    attributes.put("cn", givenName + " " + surname);
    attributes.put("givenName", givenName);
    attributes.put("sn", surname);
    attributes.put("mail", uid + "@redoubt.test");
    attributes.put("userPassword", Lab.env("DEMO_PASSWORD"));
    DirContext ldap = connect();
    try {
      ldap.createSubcontext(userDn(uid), attributes).close();
    } finally {
      ldap.close();
    }
  }

  /** {@code count} new people in slapd with random names, in no group yet. */
  static List<String> newPeople(String tag, int count) throws Exception {
    String prefix = "t" + tag + UUID.randomUUID().toString().substring(0, 6);
    List<String> uids = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String uid = (prefix + "-" + i).toLowerCase(Locale.ROOT);
      addPerson(uid, "Test", "Person " + i);
      uids.add(uid);
    }
    return uids;
  }

  /** Deletes the person's entry; slapd's memberof overlay drops them from every group. */
  static void deletePerson(String uid) throws NamingException {
    DirContext ldap = connect();
    try {
      ldap.destroySubcontext(userDn(uid));
    } catch (NameNotFoundException alreadyGone) {
      // The state the caller wants.
    } finally {
      ldap.close();
    }
  }

  /** A new group below ou=groups with these people (groupOfNames needs at least one member). */
  static void addGroup(String cn, List<String> memberDns) throws NamingException {
    var attributes = new BasicAttributes(true);
    attributes.put("objectClass", "groupOfNames");
    attributes.put("cn", cn);
    var members = new BasicAttribute("member");
    memberDns.forEach(members::add);
    attributes.put(members);
    DirContext ldap = connect();
    try {
      ldap.createSubcontext(groupDn(cn), attributes).close();
    } finally {
      ldap.close();
    }
  }

  static void deleteGroup(String cn) throws NamingException {
    DirContext ldap = connect();
    try {
      ldap.destroySubcontext(groupDn(cn));
    } catch (NameNotFoundException alreadyGone) {
      // The state the caller wants.
    } finally {
      ldap.close();
    }
  }

  static void addMembers(String group, List<String> uids) throws NamingException {
    changeMembers(DirContext.ADD_ATTRIBUTE, group, uids);
  }

  static void removeMembers(String group, List<String> uids) throws NamingException {
    changeMembers(DirContext.REMOVE_ATTRIBUTE, group, uids);
  }

  /**
   * One LDAP modify for all members, so that a reconciliation never sees half of the change; if one
   * is already in (or out), one modify per member, each a no-op where it is already so.
   */
  private static void changeMembers(int operation, String group, List<String> uids)
      throws NamingException {
    DirContext ldap = connect();
    try {
      var members = new BasicAttribute("member");
      uids.forEach(uid -> members.add(userDn(uid)));
      try {
        ldap.modifyAttributes(
            groupDn(group), new ModificationItem[] {new ModificationItem(operation, members)});
        return;
      } catch (AttributeInUseException | NoSuchAttributeException someAlreadySo) {
        // One by one below.
      }
      for (String uid : uids) {
        try {
          ldap.modifyAttributes(
              groupDn(group),
              new ModificationItem[] {
                new ModificationItem(operation, new BasicAttribute("member", userDn(uid)))
              });
        } catch (AttributeInUseException | NoSuchAttributeException alreadySo) {
          // Already a member (or already not): the state the caller wants.
        }
      }
    } finally {
      ldap.close();
    }
  }

  /** Stops slapd (TERM, as an outage or an operator would) and waits until it is gone. */
  static void stopSlapd() throws IOException, InterruptedException {
    long pid = Long.parseLong(Files.readString(Lab.STATE.resolve("slapd/slapd.pid")).strip());
    ProcessHandle slapd = ProcessHandle.of(pid).orElseThrow();
    slapd.destroy();
    slapd.onExit().orTimeout(30, TimeUnit.SECONDS).join();
  }

  /**
   * Starts slapd again the way the suite started it, {@code installer/lab services-up} (which finds
   * everything else running and leaves it alone).
   */
  static void startSlapd() throws IOException, InterruptedException {
    Path lab = Path.of(System.getProperty("redoubt.repo.root"), "installer", "lab");
    Process up =
        new ProcessBuilder(
                lab.toString(),
                "--state",
                Lab.STATE.toString(),
                "--port-offset",
                Integer.toString(Lab.PORT_OFFSET),
                "services-up")
            .redirectErrorStream(true)
            .redirectOutput(Lab.STATE.resolve("services-up-from-test.log").toFile())
            .start();
    if (!up.waitFor(Duration.ofMinutes(3).toSeconds(), TimeUnit.SECONDS) || up.exitValue() != 0) {
      up.destroy();
      throw new IOException(
          "installer/lab services-up did not bring slapd back; see "
              + Lab.STATE.resolve("services-up-from-test.log"));
    }
  }

  private static DirContext connect() throws NamingException {
    var env = new Hashtable<String, String>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, Lab.env("LDAP_URL"));
    env.put(Context.SECURITY_AUTHENTICATION, "simple");
    env.put(Context.SECURITY_PRINCIPAL, Lab.env("LDAP_BIND_DN"));
    env.put(Context.SECURITY_CREDENTIALS, Lab.secret("LDAP_ADMIN_PASSWORD"));
    return new InitialDirContext(env);
  }
}
