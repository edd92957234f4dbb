package io.redoubt.web.messaging;

import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.messaging.Conversation;
import io.redoubt.messaging.ConversationMember;
import io.redoubt.messaging.Conversations;
import io.redoubt.messaging.MessagingSettings;
import io.redoubt.protocol.api.ConversationResponse;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Conversations as the API shows them, members with their login names. */
@ApplicationScoped
public class ConversationViews {

  @EJB Conversations conversations;
  @EJB Directory directory;
  @Inject MessagingSettings settings;

  /** The wire view of {@code conversation} with its current members. */
  public ConversationResponse view(Conversation conversation) {
    List<ConversationMember> members = conversations.members(conversation.conversationId());
    Map<String, DirectoryUser> users =
        directory.byUserIds(members.stream().map(ConversationMember::userId).toList());
    return new ConversationResponse(
        conversation.conversationId(),
        conversation.kind().name().toLowerCase(Locale.ROOT),
        conversation.name(),
        conversation.createdAt().toString(),
        conversation.defaultLifetime().toSeconds(),
        settings.maxLifetime().toSeconds(),
        members.stream()
            .map(
                m ->
                    new ConversationResponse.Member(
                        m.userId(),
                        users.containsKey(m.userId()) ? users.get(m.userId()).username() : null,
                        m.role().name().toLowerCase(Locale.ROOT)))
            .toList());
  }
}
