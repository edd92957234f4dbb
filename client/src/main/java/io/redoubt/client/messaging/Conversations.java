package io.redoubt.client.messaging;

import io.redoubt.client.AccessToken;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.protocol.api.ConversationRequest;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.api.ConversationUpdate;
import io.redoubt.protocol.api.MembersRequest;
import java.io.IOException;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

/**
 * Conversations as one user manages them. Membership is the server's to keep (it is not secret from
 * the server); what this class never does is trust a member's <em>keys</em> — those come only
 * through {@link RecipientCheck}.
 */
public final class Conversations {

  private final RedoubtClient client;

  public Conversations(RedoubtClient client) {
    this.client = client;
  }

  /** The direct conversation with {@code username}: the existing one, or a new one. */
  public ConversationResponse direct(AccessToken token, String username)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.createConversation(
        token, new ConversationRequest("direct", username, null, null, null));
  }

  /**
   * A new group named {@code name} with the caller (its first admin) and {@code usernames}.
   *
   * @param defaultLifetimeSeconds null for the server's default
   */
  public ConversationResponse createGroup(
      AccessToken token, String name, List<String> usernames, Long defaultLifetimeSeconds)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.createConversation(
        token,
        new ConversationRequest(
            "group", null, name, List.copyOf(usernames), defaultLifetimeSeconds));
  }

  /**
   * The conversation for a message to several people: the newest group whose members are exactly
   * the caller and {@code usernames}, or else a new group named after them. Reusing it keeps one
   * thread per set of people, as people expect; a group of other or more members is never chosen,
   * so nobody unintended reads the message.
   */
  public ConversationResponse groupWith(AccessToken token, String ownUserId, List<String> usernames)
      throws IOException, InterruptedException, RedoubtApiException {
    Set<String> wanted = new TreeSet<>(usernames);
    Optional<ConversationResponse> existing =
        list(token).stream()
            .filter(c -> "group".equals(c.kind()))
            .filter(c -> c.members() != null)
            .filter(
                c ->
                    c.members().stream()
                        .filter(m -> !m.userId().equals(ownUserId))
                        .map(ConversationResponse.Member::username)
                        .collect(java.util.stream.Collectors.toCollection(TreeSet::new))
                        .equals(wanted))
            .filter(c -> c.members().stream().anyMatch(m -> m.userId().equals(ownUserId)))
            .max(Comparator.comparing(c -> c.createdAt() == null ? "" : c.createdAt()));
    if (existing.isPresent()) {
      return existing.get();
    }
    return createGroup(token, String.join(", ", wanted), List.copyOf(wanted), null);
  }

  /** The caller's conversations. */
  public List<ConversationResponse> list(AccessToken token)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.conversations(token);
  }

  /** One conversation with its members. */
  public ConversationResponse show(AccessToken token, UUID conversationId)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.conversation(token, conversationId);
  }

  /** Renames a group (admins). */
  public ConversationResponse rename(AccessToken token, UUID conversationId, String name)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.updateConversation(token, conversationId, new ConversationUpdate(name, null));
  }

  /** Adds members by login name (admins). */
  public ConversationResponse add(AccessToken token, UUID conversationId, List<String> usernames)
      throws IOException, InterruptedException, RedoubtApiException {
    return client.addMembers(token, conversationId, new MembersRequest(List.copyOf(usernames)));
  }

  /**
   * Removes the member with login name {@code username} (admins).
   *
   * @throws IllegalArgumentException when nobody of that name is a member
   */
  public void remove(AccessToken token, UUID conversationId, String username)
      throws IOException, InterruptedException, RedoubtApiException {
    ConversationResponse conversation = show(token, conversationId);
    String userId =
        conversation.members().stream()
            .filter(m -> username.equals(m.username()))
            .map(ConversationResponse.Member::userId)
            .findFirst()
            .orElseThrow(
                () ->
                    new IllegalArgumentException(
                        username + " is not a member of conversation " + conversationId));
    client.removeMember(token, conversationId, userId);
  }

  /** Leaves the conversation: nothing sent afterwards reaches this user's devices. */
  public void leave(AccessToken token, UUID conversationId, String ownUserId)
      throws IOException, InterruptedException, RedoubtApiException {
    client.removeMember(token, conversationId, ownUserId);
  }
}
