package io.redoubt.messaging;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.directory.UserStatus;
import io.redoubt.protocol.api.ControlMessage;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Creates conversations and changes their membership. Every change writes a control message into
 * the queues of every member's active devices (and of the member removed), in the same transaction.
 *
 * <p>Membership changes lock the conversation row for update; sends lock it for share ({@link
 * Mailroom}). So an envelope is queued either wholly before or wholly after a change, and a member
 * removed receives nothing sent after the removal.
 */
@Stateless
public class Conversations {

  private static final Jsonb JSON = JsonbBuilder.create();
  private static final int MAX_NAME_LENGTH = 200;

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB Directory directory;
  @EJB DeviceRegistry devices;
  @EJB DeviceQueues queues;
  @Inject MessagingSettings settings;

  private final Clock clock = Clock.systemUTC();

  /** The outcome of a create: the conversation, and whether this call made it. */
  public record Created(Conversation conversation, boolean created) {}

  /**
   * The direct conversation between the caller and {@code otherUsername}, made if there is none.
   * Two concurrent calls end in one conversation (the pair is a unique key).
   *
   * @throws ConversationRuleException for an unknown or disabled user, or the caller themself
   */
  public Created direct(@NotBlank String callerId, @NotBlank String otherUsername)
      throws ConversationRuleException {
    DirectoryUser other = activeUser(otherUsername);
    if (other.userId().equals(callerId)) {
      throw new ConversationRuleException("A direct conversation needs another user.");
    }
    String pair = Conversation.pair(callerId, other.userId());
    Optional<Conversation> existing = byPair(pair);
    if (existing.isPresent()) {
      return new Created(existing.get(), false);
    }
    Instant now = clock.instant();
    Conversation made =
        Conversation.direct(callerId, other.userId(), settings.defaultLifetime(), callerId, now);
    int inserted =
        em.createNativeQuery(
                "INSERT IGNORE INTO conversation (conversation_id, kind, name, direct_pair,"
                    + " default_lifetime_seconds, created_by, created_at)"
                    + " VALUES (?, 'DIRECT', NULL, ?, ?, ?, ?)")
            .setParameter(1, made.conversationId())
            .setParameter(2, pair)
            .setParameter(3, made.defaultLifetime().toSeconds())
            .setParameter(4, callerId)
            .setParameter(5, now)
            .executeUpdate();
    if (inserted == 0) {
      return new Created(byPair(pair).orElseThrow(), false);
    }
    Conversation stored = em.find(Conversation.class, made.conversationId());
    em.persist(new ConversationMember(stored.conversationId(), callerId, MemberRole.MEMBER, now));
    em.persist(
        new ConversationMember(stored.conversationId(), other.userId(), MemberRole.MEMBER, now));
    notify(stored, "created", List.of(callerId, other.userId()), callerId, Set.of(), now);
    return new Created(stored, true);
  }

  /**
   * A new group with the caller as its first admin.
   *
   * @throws ConversationRuleException for a missing or long name, unknown or disabled users, too
   *     many members, a lifetime outside policy
   */
  public Conversation group(
      @NotBlank String callerId,
      String name,
      @NotNull List<String> usernames,
      Duration defaultLifetime)
      throws ConversationRuleException {
    String checkedName = checkedName(name);
    Duration lifetime = checkedLifetime(defaultLifetime);
    Set<String> memberIds = new LinkedHashSet<>();
    memberIds.add(callerId);
    for (String username : usernames) {
      memberIds.add(activeUser(username).userId());
    }
    if (memberIds.size() > settings.maxGroupMembers()) {
      throw new ConversationRuleException(
          "A group has at most " + settings.maxGroupMembers() + " members.");
    }
    Instant now = clock.instant();
    Conversation group = Conversation.group(checkedName, lifetime, callerId, now);
    em.persist(group);
    for (String memberId : memberIds) {
      MemberRole role = memberId.equals(callerId) ? MemberRole.ADMIN : MemberRole.MEMBER;
      em.persist(new ConversationMember(group.conversationId(), memberId, role, now));
    }
    notify(group, "created", List.copyOf(memberIds), callerId, Set.of(), now);
    return group;
  }

  /** The caller's conversations, oldest first. */
  public List<Conversation> of(@NotBlank String userId) {
    return em.createNamedQuery(Conversation.OF_USER, Conversation.class)
        .setParameter("userId", userId)
        .getResultList();
  }

  /**
   * The conversation, if the caller is a member.
   *
   * @throws UnknownConversationException when it does not exist or the caller is not a member
   */
  public Conversation forMember(@NotNull UUID conversationId, @NotBlank String userId)
      throws UnknownConversationException {
    return forMember(conversationId, userId, LockModeType.NONE);
  }

  /**
   * As {@link #forMember(UUID, String)}, holding the conversation row with {@code lock} until the
   * transaction ends.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public Conversation forMember(
      @NotNull UUID conversationId, @NotBlank String userId, @NotNull LockModeType lock)
      throws UnknownConversationException {
    Conversation conversation = em.find(Conversation.class, conversationId.toString(), lock);
    if (conversation == null || member(conversation.conversationId(), userId).isEmpty()) {
      throw new UnknownConversationException(conversationId.toString());
    }
    return conversation;
  }

  /** Current members, in the order they joined. */
  public List<ConversationMember> members(@NotBlank String conversationId) {
    return em.createNamedQuery(ConversationMember.OF_CONVERSATION, ConversationMember.class)
        .setParameter("conversationId", conversationId)
        .getResultList();
  }

  /**
   * The recipient set of a message from {@code sendingDeviceId}: every active device of every
   * member, that device excepted.
   */
  public List<Device> recipientDevices(
      @NotBlank String conversationId, @NotBlank String sendingDeviceId) {
    List<String> memberIds =
        members(conversationId).stream().map(ConversationMember::userId).toList();
    return devices.activeDevicesOfUsers(memberIds).stream()
        .filter(device -> !device.deviceId().equals(sendingDeviceId))
        .toList();
  }

  /**
   * Renames a group or changes its default lifetime (null leaves a field as it is).
   *
   * @throws NotGroupAdminException when the caller is not an admin of this group
   */
  public Conversation update(
      @NotNull UUID conversationId, @NotBlank String callerId, String name, Duration lifetime)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    Conversation conversation = forMember(conversationId, callerId, LockModeType.PESSIMISTIC_WRITE);
    if (conversation.kind() == ConversationKind.DIRECT) {
      if (name != null) {
        throw new ConversationRuleException("A direct conversation has no name.");
      }
    } else {
      requireAdmin(conversation, callerId, "change the group");
    }
    if (name != null) {
      conversation.rename(checkedName(name));
    }
    if (lifetime != null) {
      conversation.setDefaultLifetime(checkedLifetime(lifetime));
    }
    notify(conversation, "updated", List.of(), callerId, Set.of(), clock.instant());
    return conversation;
  }

  /**
   * Adds members to a group (admins only). Users already in it are left as they are.
   *
   * @throws ConversationRuleException for unknown or disabled users, or the member limit
   */
  public Conversation addMembers(
      @NotNull UUID conversationId, @NotBlank String callerId, @NotNull List<String> usernames)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    Conversation group = forMember(conversationId, callerId, LockModeType.PESSIMISTIC_WRITE);
    if (group.kind() == ConversationKind.DIRECT) {
      throw new ConversationRuleException("A direct conversation has exactly two members.");
    }
    requireAdmin(group, callerId, "add members");
    if (usernames.isEmpty()) {
      throw new ConversationRuleException("Name at least one user to add.");
    }
    Set<String> current = new LinkedHashSet<>();
    members(group.conversationId()).forEach(m -> current.add(m.userId()));
    List<String> added = new ArrayList<>();
    for (String username : usernames) {
      String userId = activeUser(username).userId();
      if (!current.contains(userId) && !added.contains(userId)) {
        added.add(userId);
      }
    }
    if (current.size() + added.size() > settings.maxGroupMembers()) {
      throw new ConversationRuleException(
          "A group has at most " + settings.maxGroupMembers() + " members.");
    }
    Instant now = clock.instant();
    for (String userId : added) {
      em.persist(new ConversationMember(group.conversationId(), userId, MemberRole.MEMBER, now));
    }
    if (!added.isEmpty()) {
      em.flush();
      notify(group, "members-added", added, callerId, Set.of(), now);
    }
    return group;
  }

  /**
   * Removes a member: an admin removes anyone from a group, anyone removes themself (leaves). The
   * removed member's devices are told too. A group whose last admin leaves gets its
   * longest-standing member as admin, so that no group is left unmanageable.
   *
   * @throws ConversationRuleException when leaving a direct conversation or removing a non-member
   */
  public void removeMember(
      @NotNull UUID conversationId, @NotBlank String callerId, @NotBlank String userId)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    Conversation conversation = forMember(conversationId, callerId, LockModeType.PESSIMISTIC_WRITE);
    if (conversation.kind() == ConversationKind.DIRECT) {
      throw new ConversationRuleException("Nobody leaves a direct conversation.");
    }
    boolean leaving = userId.equals(callerId);
    if (!leaving) {
      requireAdmin(conversation, callerId, "remove members");
    }
    ConversationMember removed =
        member(conversation.conversationId(), userId)
            .orElseThrow(() -> new ConversationRuleException(userId + " is not a member."));
    em.remove(removed);
    em.flush();
    promoteIfAdminless(conversation);
    notify(
        conversation,
        leaving ? "member-left" : "member-removed",
        List.of(userId),
        callerId,
        Set.of(userId),
        clock.instant());
  }

  /**
   * Takes an offboarded user out of every conversation they are in, telling the other members'
   * devices. Direct conversations keep their rows (nobody "leaves" one) but are told.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public int removeEverywhere(@NotBlank String userId) {
    List<ConversationMember> memberships =
        em.createNamedQuery(ConversationMember.OF_USER, ConversationMember.class)
            .setParameter("userId", userId)
            .getResultList();
    Instant now = clock.instant();
    for (ConversationMember membership : memberships) {
      Conversation conversation =
          em.find(Conversation.class, membership.conversationId(), LockModeType.PESSIMISTIC_WRITE);
      if (conversation.kind() == ConversationKind.GROUP) {
        em.remove(membership);
        em.flush();
        promoteIfAdminless(conversation);
      }
      notify(conversation, "member-removed", List.of(userId), null, Set.of(), now);
    }
    return memberships.size();
  }

  private void promoteIfAdminless(Conversation group) {
    List<ConversationMember> remaining = members(group.conversationId());
    if (!remaining.isEmpty() && remaining.stream().noneMatch(m -> m.role() == MemberRole.ADMIN)) {
      remaining.get(0).promote();
    }
  }

  private void requireAdmin(Conversation group, String callerId, String action)
      throws NotGroupAdminException {
    boolean admin =
        member(group.conversationId(), callerId)
            .map(m -> m.role() == MemberRole.ADMIN)
            .orElse(false);
    if (!admin) {
      throw new NotGroupAdminException(action);
    }
  }

  private Optional<ConversationMember> member(String conversationId, String userId) {
    return Optional.ofNullable(
        em.find(ConversationMember.class, new ConversationMember.Key(conversationId, userId)));
  }

  private Optional<Conversation> byPair(String pair) {
    return em.createNamedQuery(Conversation.BY_DIRECT_PAIR, Conversation.class)
        .setParameter("pair", pair)
        .getResultStream()
        .findFirst();
  }

  private DirectoryUser activeUser(String username) throws ConversationRuleException {
    if (username == null || username.isBlank() || username.length() > 255) {
      throw new ConversationRuleException("A member's login name is missing or too long.");
    }
    DirectoryUser user =
        directory
            .byUsername(username)
            .orElseThrow(
                () ->
                    new ConversationRuleException(
                        "No user " + username + " has used Redoubt yet (no enrolled device)."));
    if (user.status() != UserStatus.ACTIVE) {
      throw new ConversationRuleException("User " + username + " is not active.");
    }
    return user;
  }

  private String checkedName(String name) throws ConversationRuleException {
    if (name == null || name.isBlank()) {
      throw new ConversationRuleException("A group needs a name.");
    }
    String stripped = name.strip();
    if (stripped.length() > MAX_NAME_LENGTH || stripped.chars().anyMatch(Character::isISOControl)) {
      throw new ConversationRuleException(
          "A group name is at most "
              + MAX_NAME_LENGTH
              + " characters, without control characters.");
    }
    return stripped;
  }

  private Duration checkedLifetime(Duration lifetime) throws ConversationRuleException {
    if (lifetime == null) {
      return settings.defaultLifetime();
    }
    if (lifetime.isNegative()
        || lifetime.isZero()
        || lifetime.compareTo(settings.maxLifetime()) > 0) {
      throw new ConversationRuleException(
          "A default lifetime is between 1 second and the policy maximum of "
              + settings.maxLifetime().toDays()
              + " days.");
    }
    return lifetime;
  }

  /** Writes a control message for every member's active devices and those of {@code alsoTell}. */
  private void notify(
      Conversation conversation,
      String type,
      List<String> aboutUsers,
      String byUserId,
      Collection<String> alsoTell,
      Instant now) {
    em.flush();
    Set<String> told = new LinkedHashSet<>();
    members(conversation.conversationId()).forEach(m -> told.add(m.userId()));
    told.addAll(alsoTell);
    List<String> deviceIds =
        devices.activeDevicesOfUsers(told).stream().map(Device::deviceId).toList();
    ControlMessage control =
        new ControlMessage(
            type,
            conversation.conversationId(),
            conversation.name(),
            aboutUsers,
            byUserId,
            now.toString());
    queues.enqueueControl(
        JSON.toJson(control).getBytes(StandardCharsets.UTF_8),
        deviceIds,
        now,
        now.plus(settings.maxLifetime()));
  }
}
