package io.redoubt.ldapsync;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import javax.naming.Context;
import javax.naming.NamingEnumeration;
import javax.naming.NamingException;
import javax.naming.directory.Attribute;
import javax.naming.directory.Attributes;
import javax.naming.directory.SearchControls;
import javax.naming.directory.SearchResult;
import javax.naming.ldap.Control;
import javax.naming.ldap.InitialLdapContext;
import javax.naming.ldap.LdapContext;
import javax.naming.ldap.LdapName;
import javax.naming.ldap.PagedResultsControl;
import javax.naming.ldap.PagedResultsResponseControl;
import javax.naming.ldap.Rdn;
import javax.naming.ldap.StartTlsRequest;
import javax.naming.ldap.StartTlsResponse;
import javax.net.ssl.SSLSocketFactory;

/**
 * Reads group membership straight from the directory Keycloak federates, with the settings file's
 * connection, bind credential, users and groups: who is in the access groups and in the groups
 * security groups follow. Keycloak's group endpoint answers the same question for an LDAP-mapped
 * group by resolving every member up to the page's end, which at 10,000 members costs minutes and
 * does not fit in its transaction limit (performance page); the directory answers in milliseconds.
 *
 * <p>Members are matched to people by the same rules Keycloak federates them with: an entry one
 * level below {@code ldap.users-dn}, of the user object classes, matching {@code
 * ldap.users-filter}, known by its username attribute (lower case, as Keycloak keeps usernames). A
 * member DN that is no such entry is nobody. On Active Directory an account whose {@code
 * userAccountControl} has the ACCOUNTDISABLE bit is no member either.
 *
 * <p>Every failure is an exception: the directory unreachable, a bind refused, an access group that
 * does not exist, a search cut short by a size or time limit. Callers must treat a failed read as
 * "nothing known", never as "nobody there". Every call opens its own connection and closes it.
 */
public final class LdapDirectory {

  /** Entries asked for per page of the paged-results control (RFC 2696). */
  static final int PAGE = 1_000;

  /** Active Directory's ACCOUNTDISABLE bit of userAccountControl. */
  private static final int ACCOUNT_DISABLE = 0x2;

  private static final String MEMBER = "member";
  private static final String AD_CONTROL = "userAccountControl";

  private final DirectorySettings settings;
  private final String bindPassword;
  private final int pageSize;

  /**
   * ldaps:// and StartTLS trust what the JVM's default trust store trusts: in the server, the
   * installation's (BCFKS) trust store, as for Keycloak. The directory's host name is verified.
   *
   * @param bindPassword the resolved {@code ldap.bind-credential}; never logged
   */
  public LdapDirectory(DirectorySettings settings, String bindPassword) {
    this(settings, bindPassword, PAGE);
  }

  /**
   * @param pageSize entries per page of the people search (tests use small pages to read across
   *     several)
   */
  public LdapDirectory(DirectorySettings settings, String bindPassword, int pageSize) {
    if (pageSize < 1) {
      throw new IllegalArgumentException("page size must be positive");
    }
    this.settings = settings;
    this.bindPassword = bindPassword;
    this.pageSize = pageSize;
  }

  /**
   * One person as the directory has them.
   *
   * @param dnKey their entry's DN in the form members are compared in ({@link #dnKey})
   * @param username the username attribute, lower case
   * @param uuid the entry's stable id ({@code ldap.uuid-attribute}; a binary one such as AD's
   *     objectGUID as Keycloak writes it), or null if the entry has none
   * @param disabled whether the directory disables the account (AD's ACCOUNTDISABLE bit)
   */
  public record Person(
      String dnKey,
      String username,
      String uuid,
      String firstName,
      String lastName,
      String email,
      boolean disabled) {}

  /** Takes the members of the groups, some at a time. */
  public interface MemberHandler {
    void handle(List<Person> members) throws Exception;
  }

  /** Members handed to a {@link MemberHandler} at a time. */
  public static final int CHUNK = 200;

  /**
   * What one pass over the directory found.
   *
   * @param members the usernames of the members of the groups asked for
   * @param others for each of the other groups asked for that could be read, its members' usernames
   * @param otherFailures for each of the other groups that could not be read (missing, say), why
   */
  public record Members(
      Set<String> members, Map<String, Set<String>> others, Map<String, String> otherFailures) {}

  /**
   * Reads the members of {@code groups} (not disabled in the directory), handing them to {@code
   * handler} {@value #CHUNK} at a time with their names, email and uuid, and returns their
   * usernames: one pass over the directory for what a reconciliation run needs, with only the
   * usernames held.
   *
   * @throws Exception what the handler throws, or an IOException if the directory cannot be read
   *     completely or a group does not exist
   */
  public Set<String> memberPeople(List<String> groups, MemberHandler handler) throws Exception {
    return members(groups, List.of(), handler).members();
  }

  /**
   * As {@link #memberPeople}, and in the same pass over the people the usernames of the members of
   * each of {@code others} (the groups security groups follow): the people search, the costly part
   * of a read (about a third of a millisecond of CPU per person), is made once whatever the number
   * of groups. One of {@code others} that cannot be read is named in {@link
   * Members#otherFailures()} and does not fail the read; one of {@code groups} does.
   */
  public Members members(List<String> groups, Collection<String> others, MemberHandler handler)
      throws Exception {
    try (Connection connection = connect()) {
      Set<String> dns = connection.memberDns(groups);
      Map<String, Set<String>> otherDns = new LinkedHashMap<>();
      Map<String, String> otherFailures = new LinkedHashMap<>();
      for (String other : new LinkedHashSet<>(others)) {
        try {
          otherDns.put(other, connection.memberDns(List.of(other)));
        } catch (IOException e) {
          otherFailures.put(other, e.getMessage());
        }
      }
      Set<String> usernames = new HashSet<>();
      Map<String, Set<String>> otherUsernames = new LinkedHashMap<>();
      otherDns.keySet().forEach(other -> otherUsernames.put(other, new HashSet<>()));
      if (dns.isEmpty() && otherDns.values().stream().allMatch(Set::isEmpty)) {
        return new Members(usernames, otherUsernames, otherFailures);
      }
      List<Person> chunk = new ArrayList<>(CHUNK);
      connection.people(
          person -> {
            if (person.disabled()) {
              return;
            }
            otherDns.forEach(
                (other, members) -> {
                  if (members.contains(person.dnKey())) {
                    otherUsernames.get(other).add(person.username());
                  }
                });
            if (dns.contains(person.dnKey()) && usernames.add(person.username())) {
              chunk.add(person);
              if (chunk.size() == CHUNK) {
                handler.handle(List.copyOf(chunk));
                chunk.clear();
              }
            }
          });
      if (!chunk.isEmpty()) {
        handler.handle(List.copyOf(chunk));
      }
      return new Members(usernames, otherUsernames, otherFailures);
    }
  }

  /**
   * The usernames (lower case) of the people who are members of at least one of {@code groups} and
   * not disabled in the directory.
   *
   * @throws IOException if the directory cannot be read completely or a group does not exist
   */
  public Set<String> memberUsernames(List<String> groups) throws IOException {
    try {
      return memberPeople(groups, members -> {});
    } catch (IOException | RuntimeException e) {
      throw e;
    } catch (Exception e) {
      throw new IOException(e); // the handler above throws nothing
    }
  }

  /**
   * Whether any of {@code groups} has a member at all: a cheap plausibility check, since an
   * unreachable or emptied directory must never look like "everybody left".
   */
  public boolean anyMember(List<String> groups) throws IOException {
    try (Connection connection = connect()) {
      return !connection.memberDns(groups).isEmpty();
    }
  }

  /**
   * Whether the person with this username is a member of one of {@code groups} and not disabled in
   * the directory; empty when the directory has no such person.
   */
  public Optional<Boolean> isMember(String username, List<String> groups) throws IOException {
    try (Connection connection = connect()) {
      Optional<Person> person = connection.person(username);
      if (person.isEmpty()) {
        return Optional.empty();
      }
      return Optional.of(
          !person.get().disabled() && connection.memberDns(groups).contains(person.get().dnKey()));
    }
  }

  /**
   * A DN in the form members are compared in: attribute types and values in lower case, values
   * escaped, no spaces between RDNs. {@code uid=Alice, ou=People,dc=x} and {@code
   * UID=alice,ou=people,DC=x} name the same entry.
   *
   * @throws IllegalArgumentException if the text is not a DN
   */
  static String dnKey(String dn) {
    try {
      LdapName name = new LdapName(dn);
      StringBuilder key = new StringBuilder();
      List<Rdn> rdns = name.getRdns();
      for (int i = rdns.size() - 1; i >= 0; i--) {
        if (key.length() > 0) {
          key.append(',');
        }
        List<String> parts = new ArrayList<>();
        for (Attribute part : iterable(rdns.get(i).toAttributes())) {
          parts.add(
              part.getID().toLowerCase(Locale.ROOT)
                  + "="
                  + Rdn.escapeValue(part.get()).toLowerCase(Locale.ROOT));
        }
        parts.sort(null);
        key.append(String.join("+", parts));
      }
      return key.toString();
    } catch (NamingException e) {
      throw new IllegalArgumentException("not a DN", e);
    }
  }

  private static List<Attribute> iterable(Attributes attributes) throws NamingException {
    List<Attribute> all = new ArrayList<>();
    NamingEnumeration<? extends Attribute> each = attributes.getAll();
    while (each.hasMore()) {
      all.add(each.next());
    }
    return all;
  }

  /**
   * The filter that selects the people Keycloak federates: the user object classes and the
   * settings' filter, and optionally one username.
   */
  static String peopleFilter(DirectorySettings settings, String username) {
    StringBuilder filter = new StringBuilder("(&");
    for (String objectClass : settings.userObjectClasses()) {
      filter.append("(objectClass=").append(escapeFilter(objectClass)).append(')');
    }
    settings.usersFilter().ifPresent(filter::append);
    if (username != null) {
      filter
          .append('(')
          .append(settings.usernameAttribute())
          .append('=')
          .append(escapeFilter(username))
          .append(')');
    }
    return filter.append(')').toString();
  }

  /** RFC 4515 escaping of a value in a filter. */
  static String escapeFilter(String value) {
    StringBuilder out = new StringBuilder(value.length());
    for (char c : value.toCharArray()) {
      switch (c) {
        case '\\' -> out.append("\\5c");
        case '*' -> out.append("\\2a");
        case '(' -> out.append("\\28");
        case ')' -> out.append("\\29");
        case '\0' -> out.append("\\00");
        default -> out.append(c);
      }
    }
    return out.toString();
  }

  /**
   * The next range of a ranged attribute (Active Directory returns at most 1,500 values of {@code
   * member} at a time, as {@code member;range=0-1499}): empty when {@code id} is the last range
   * ({@code ...-*}) or not ranged at all, else the start of the next one.
   */
  static Optional<Integer> nextRange(String id) {
    int at = id.toLowerCase(Locale.ROOT).indexOf(";range=");
    if (at < 0) {
      return Optional.empty();
    }
    String range = id.substring(at + ";range=".length());
    int dash = range.indexOf('-');
    if (dash < 0) {
      throw new IllegalArgumentException("malformed range in attribute " + id);
    }
    String end = range.substring(dash + 1);
    if (end.equals("*")) {
      return Optional.empty();
    }
    return Optional.of(Integer.parseInt(end) + 1);
  }

  private Connection connect() throws IOException {
    Hashtable<String, Object> env = new Hashtable<>();
    env.put(Context.INITIAL_CONTEXT_FACTORY, "com.sun.jndi.ldap.LdapCtxFactory");
    env.put(Context.PROVIDER_URL, settings.ldapUrl().toString());
    env.put("com.sun.jndi.ldap.connect.timeout", millis(settings.connectionTimeout()));
    env.put("com.sun.jndi.ldap.read.timeout", millis(settings.readTimeout()));
    // The people and groups are below the configured DNs; a referral elsewhere is not followed.
    env.put(Context.REFERRAL, "ignore");
    // AD's objectGUID is binary: it must come back as bytes, not as a mangled string. (entryUUID
    // is text, and stays text.)
    if (settings.uuidAttribute().equalsIgnoreCase("objectGUID")) {
      env.put("java.naming.ldap.attributes.binary", settings.uuidAttribute());
    }
    LdapContext context = null;
    try {
      // Bound after StartTLS, so that the password never crosses the network in clear.
      context = new InitialLdapContext(env, null);
      StartTlsResponse startTls = null;
      if (settings.startTls()) {
        startTls = (StartTlsResponse) context.extendedOperation(new StartTlsRequest());
        startTls.negotiate((SSLSocketFactory) SSLSocketFactory.getDefault());
      }
      context.addToEnvironment(Context.SECURITY_AUTHENTICATION, "simple");
      context.addToEnvironment(Context.SECURITY_PRINCIPAL, settings.bindDn());
      context.addToEnvironment(Context.SECURITY_CREDENTIALS, bindPassword);
      context.reconnect(null);
      return new Connection(context, startTls);
    } catch (NamingException | IOException e) {
      closeQuietly(context);
      throw failure("connecting to " + settings.ldapUrl(), e);
    }
  }

  /**
   * An attribute's first value as text, or null. A binary value of 16 bytes is a GUID (AD's
   * objectGUID) and is written as Microsoft and Keycloak write it, so that it compares equal to the
   * {@code LDAP_ID} Keycloak recorded; another binary value is written in hex.
   */
  private static String text(Attribute attribute) throws NamingException {
    if (attribute == null || attribute.get() == null) {
      return null;
    }
    Object value = attribute.get();
    String text =
        value instanceof byte[] bytes
            ? (bytes.length == 16 ? guid(bytes) : HexFormat.of().formatHex(bytes))
            : String.valueOf(value);
    return text.isBlank() ? null : text.strip();
  }

  /**
   * A GUID's 16 bytes in its usual text form: Windows stores the first three fields little-endian,
   * so their bytes are reversed, and the last eight are taken as they are.
   */
  static String guid(byte[] bytes) {
    long high = 0;
    for (int index : new int[] {3, 2, 1, 0, 5, 4, 7, 6}) {
      high = (high << 8) | (bytes[index] & 0xFF);
    }
    long low = 0;
    for (int index = 8; index < 16; index++) {
      low = (low << 8) | (bytes[index] & 0xFF);
    }
    return new UUID(high, low).toString();
  }

  private static String millis(Duration duration) {
    return Long.toString(duration.toMillis());
  }

  private static IOException failure(String what, Exception e) {
    // NamingException's message may quote the server's diagnostic, never the bind password.
    return new IOException("LDAP: " + what + " failed: " + e, e);
  }

  private static void closeQuietly(LdapContext context) {
    if (context != null) {
      try {
        context.close();
      } catch (NamingException e) {
        // The connection is gone either way.
      }
    }
  }

  private interface PersonHandler {
    void accept(Person person) throws Exception;
  }

  /** One bound connection; every read on it either completes or throws. */
  private final class Connection implements AutoCloseable {
    private final LdapContext context;
    private final StartTlsResponse startTls;

    Connection(LdapContext context, StartTlsResponse startTls) {
      this.context = context;
      this.startTls = startTls;
    }

    /** The member DNs (as {@link #dnKey} keys) of every group named. */
    Set<String> memberDns(List<String> groups) throws IOException {
      Set<String> dns = new HashSet<>();
      for (String group : groups) {
        String groupDn = groupDn(group);
        try {
          String attribute = MEMBER;
          while (true) {
            Attributes attributes =
                context.getAttributes(new LdapName(groupDn), new String[] {attribute});
            Attribute values = rangedMember(attributes);
            if (values == null) {
              break; // a group without members (AD allows it)
            }
            NamingEnumeration<?> each = values.getAll();
            while (each.hasMore()) {
              dns.add(dnKey(String.valueOf(each.next())));
            }
            Optional<Integer> next = nextRange(values.getID());
            if (next.isEmpty()) {
              break;
            }
            attribute = MEMBER + ";range=" + next.get() + "-*";
          }
        } catch (NamingException e) {
          throw failure("reading the members of " + group, e);
        }
      }
      return dns;
    }

    private Attribute rangedMember(Attributes attributes) throws NamingException {
      for (Attribute attribute : iterable(attributes)) {
        String id = attribute.getID().toLowerCase(Locale.ROOT);
        if (id.equals(MEMBER) || id.startsWith(MEMBER + ";range=")) {
          return attribute;
        }
      }
      return null;
    }

    /**
     * The group's DN, by its name ({@code cn}) below the groups DN, as Keycloak's mapper finds it.
     */
    private String groupDn(String name) throws IOException {
      SearchControls controls = new SearchControls();
      controls.setSearchScope(SearchControls.SUBTREE_SCOPE);
      controls.setReturningAttributes(new String[] {"cn"});
      controls.setCountLimit(2);
      String filter =
          "(&(objectClass="
              + escapeFilter(settings.vendor().groupObjectClass())
              + ")(cn="
              + escapeFilter(name)
              + "))";
      List<String> found = new ArrayList<>();
      try {
        NamingEnumeration<SearchResult> results =
            context.search(settings.groupsDn(), filter, controls);
        while (results.hasMore()) {
          found.add(results.next().getNameInNamespace());
        }
      } catch (NamingException e) {
        throw failure("finding group " + name, e);
      }
      if (found.size() != 1) {
        throw new IOException(
            "LDAP: "
                + (found.isEmpty() ? "no group" : "more than one group")
                + " named '"
                + name
                + "' below "
                + settings.groupsDn());
      }
      return found.get(0);
    }

    /** Every person below the users DN, page by page, handed to {@code handler} one at a time. */
    void people(PersonHandler handler) throws Exception {
      SearchControls controls = peopleControls();
      String filter = peopleFilter(settings, null);
      try {
        byte[] cookie = null;
        do {
          context.setRequestControls(
              new Control[] {new PagedResultsControl(pageSize, cookie, Control.CRITICAL)});
          NamingEnumeration<SearchResult> results =
              context.search(settings.usersDn(), filter, controls);
          while (results.hasMore()) {
            Optional<Person> person = person(results.next());
            if (person.isPresent()) {
              handler.accept(person.get());
            }
          }
          cookie = null;
          Control[] response = context.getResponseControls();
          if (response != null) {
            for (Control control : response) {
              if (control instanceof PagedResultsResponseControl paged) {
                cookie = paged.getCookie();
              }
            }
          }
        } while (cookie != null && cookie.length > 0);
      } catch (NamingException e) {
        throw failure("reading the people below " + settings.usersDn(), e);
      } catch (IOException e) {
        throw failure("paging the people below " + settings.usersDn(), e);
      } finally {
        try {
          context.setRequestControls(null);
        } catch (NamingException e) {
          // The connection is closed next.
        }
      }
    }

    Optional<Person> person(String username) throws IOException {
      SearchControls controls = peopleControls();
      controls.setCountLimit(2);
      List<Person> found = new ArrayList<>();
      try {
        NamingEnumeration<SearchResult> results =
            context.search(settings.usersDn(), peopleFilter(settings, username), controls);
        while (results.hasMore()) {
          person(results.next())
              .filter(p -> p.username().equals(username.toLowerCase(Locale.ROOT)))
              .ifPresent(found::add);
        }
      } catch (NamingException e) {
        throw failure("looking up " + username, e);
      }
      if (found.size() > 1) {
        throw new IOException("LDAP: more than one entry with username " + username);
      }
      return found.stream().findFirst();
    }

    private SearchControls peopleControls() {
      SearchControls controls = new SearchControls();
      // One level, as Keycloak's federation searches (FederationModel).
      controls.setSearchScope(SearchControls.ONELEVEL_SCOPE);
      List<String> attributes =
          new ArrayList<>(
              List.of(
                  settings.usernameAttribute(),
                  settings.uuidAttribute(),
                  FederationModel.FIRST_NAME_ATTRIBUTE,
                  FederationModel.LAST_NAME_ATTRIBUTE,
                  FederationModel.EMAIL_ATTRIBUTE));
      if (settings.vendor() == VendorProfile.ACTIVE_DIRECTORY) {
        attributes.add(AD_CONTROL);
      }
      controls.setReturningAttributes(attributes.toArray(String[]::new));
      return controls;
    }

    private Optional<Person> person(SearchResult result) throws NamingException {
      Attribute username = result.getAttributes().get(settings.usernameAttribute());
      if (username == null || username.get() == null) {
        return Optional.empty(); // Keycloak cannot federate an entry without a username either
      }
      boolean disabled = false;
      Attribute control = result.getAttributes().get(AD_CONTROL);
      if (control != null && control.get() != null) {
        disabled = (Integer.parseInt(String.valueOf(control.get()).strip()) & ACCOUNT_DISABLE) != 0;
      }
      return Optional.of(
          new Person(
              dnKey(result.getNameInNamespace()),
              String.valueOf(username.get()).strip().toLowerCase(Locale.ROOT),
              text(result.getAttributes().get(settings.uuidAttribute())),
              text(result.getAttributes().get(FederationModel.FIRST_NAME_ATTRIBUTE)),
              text(result.getAttributes().get(FederationModel.LAST_NAME_ATTRIBUTE)),
              text(result.getAttributes().get(FederationModel.EMAIL_ATTRIBUTE)),
              disabled));
    }

    @Override
    public void close() {
      if (startTls != null) {
        try {
          startTls.close();
        } catch (IOException e) {
          // Closing the context below drops the connection anyway.
        }
      }
      closeQuietly(context);
    }
  }
}
