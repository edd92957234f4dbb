package io.redoubt.web.messaging;

import io.redoubt.devices.Device;
import io.redoubt.directory.Directory;
import io.redoubt.directory.DirectoryUser;
import io.redoubt.messaging.Conversation;
import io.redoubt.messaging.ConversationMember;
import io.redoubt.messaging.ConversationRuleException;
import io.redoubt.messaging.Conversations;
import io.redoubt.messaging.EnvelopeRejectedException;
import io.redoubt.messaging.Mailroom;
import io.redoubt.messaging.MessageIdReusedException;
import io.redoubt.messaging.NotGroupAdminException;
import io.redoubt.messaging.RecipientMismatchException;
import io.redoubt.messaging.RecipientQueueFullException;
import io.redoubt.messaging.UnknownConversationException;
import io.redoubt.protocol.api.ConversationRecipientsResponse;
import io.redoubt.protocol.api.ConversationRecipientsResponse.RecipientUser;
import io.redoubt.protocol.api.ConversationRequest;
import io.redoubt.protocol.api.ConversationResponse;
import io.redoubt.protocol.api.ConversationUpdate;
import io.redoubt.protocol.api.DirectoryResponse.DirectoryDevice;
import io.redoubt.protocol.api.EnvelopeMessage;
import io.redoubt.protocol.api.MembersRequest;
import io.redoubt.protocol.envelope.InvalidEnvelopeException;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Roles;
import io.redoubt.web.directory.DeviceListings;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.transaction.Transactional;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.DELETE;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PATCH;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.PathParam;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.core.Response;
import java.security.cert.CertificateEncodingException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/conversations}: the caller's conversations and their membership, the recipients a
 * device seals for and the envelopes it sends (those two need the device's proof). Someone who is
 * not a member gets 404 for a conversation, as if it did not exist.
 */
@Path("conversations")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN})
@Produces(MediaType.APPLICATION_JSON)
public class ConversationResource {

  @EJB Conversations conversations;
  @EJB Directory directory;
  @Inject ConversationViews views;
  @Inject DeviceListings listings;
  @Inject Envelopes envelopes;
  @Inject ProvedDevice proved;
  @Inject RateLimits limits;
  @Inject JsonWebToken token;

  /** Creates a group, or gets-or-creates a direct conversation (201 when made, 200 when found). */
  @POST
  @Consumes(MediaType.APPLICATION_JSON)
  public Response create(ConversationRequest request) throws ConversationRuleException {
    if (request == null || request.kind() == null) {
      throw new ConversationRuleException("kind is missing: \"direct\" or \"group\".");
    }
    switch (request.kind()) {
      case "direct" -> {
        if (request.name() != null || request.members() != null) {
          throw new ConversationRuleException(
              "A direct conversation takes \"with\", not a name or members.");
        }
        Conversations.Created made = conversations.direct(token.getSubject(), request.with());
        return Response.status(made.created() ? 201 : 200)
            .entity(views.view(made.conversation()))
            .build();
      }
      case "group" -> {
        if (request.with() != null) {
          throw new ConversationRuleException("A group takes \"members\", not \"with\".");
        }
        Conversation group =
            conversations.group(
                token.getSubject(),
                request.name(),
                request.members() == null ? List.of() : request.members(),
                seconds(request.defaultLifetimeSeconds()));
        return Response.status(201).entity(views.view(group)).build();
      }
      default ->
          throw new ConversationRuleException(
              "kind must be \"direct\" or \"group\", not \"" + request.kind() + "\".");
    }
  }

  /** The caller's conversations, oldest first. */
  @GET
  public List<ConversationResponse> list() {
    return conversations.of(token.getSubject()).stream().map(views::view).toList();
  }

  /** One conversation with its members. */
  @GET
  @Path("{conversationId}")
  public ConversationResponse get(@PathParam("conversationId") String conversationId)
      throws UnknownConversationException {
    return views.view(conversations.forMember(id(conversationId), token.getSubject()));
  }

  /** Renames a group or changes its default lifetime (group admins). */
  @PATCH
  @Path("{conversationId}")
  @Consumes(MediaType.APPLICATION_JSON)
  public ConversationResponse update(
      @PathParam("conversationId") String conversationId, ConversationUpdate update)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    if (update == null || (update.name() == null && update.defaultLifetimeSeconds() == null)) {
      throw new ConversationRuleException(
          "Nothing to change: give name or defaultLifetimeSeconds.");
    }
    return views.view(
        conversations.update(
            id(conversationId),
            token.getSubject(),
            update.name(),
            seconds(update.defaultLifetimeSeconds())));
  }

  /** Adds members by login name (group admins). */
  @POST
  @Path("{conversationId}/members")
  @Consumes(MediaType.APPLICATION_JSON)
  public ConversationResponse addMembers(
      @PathParam("conversationId") String conversationId, MembersRequest request)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    if (request == null || request.usernames() == null) {
      throw new ConversationRuleException("usernames is missing.");
    }
    return views.view(
        conversations.addMembers(id(conversationId), token.getSubject(), request.usernames()));
  }

  /** Removes a member (group admins), or the caller themself (leave). */
  @DELETE
  @Path("{conversationId}/members/{userId}")
  public Response removeMember(
      @PathParam("conversationId") String conversationId, @PathParam("userId") String userId)
      throws UnknownConversationException, NotGroupAdminException, ConversationRuleException {
    conversations.removeMember(id(conversationId), token.getSubject(), userId);
    return Response.noContent().build();
  }

  /**
   * The exact recipient set of the calling device, each device with certificate, inclusion proof
   * and a freshly claimed prekey (all claims commit together).
   */
  @POST
  @Path("{conversationId}/recipients")
  @DeviceProofRequired
  @Transactional
  public ConversationRecipientsResponse recipients(
      @PathParam("conversationId") String conversationId)
      throws UnknownConversationException,
          TreeHeadNotYetSignedException,
          InterruptedException,
          InvalidLogRangeException,
          TreeSizeBeyondLogException,
          CertificateEncodingException,
          RateLimitedException {
    limits.take(RateLimits.Action.CLAIM, proved.get().deviceId(), 1);
    Conversation conversation = conversations.forMember(id(conversationId), token.getSubject());
    List<Device> recipients =
        conversations.recipientDevices(conversation.conversationId(), proved.get().deviceId());
    DeviceListings.Listing listing = listings.list(recipients, true);
    Map<String, List<DirectoryDevice>> byUser = new LinkedHashMap<>();
    for (ConversationMember member : conversations.members(conversation.conversationId())) {
      byUser.put(member.userId(), new ArrayList<>());
    }
    for (int i = 0; i < recipients.size(); i++) {
      byUser.get(recipients.get(i).userId()).add(listing.devices().get(i));
    }
    Map<String, DirectoryUser> users = directory.byUserIds(byUser.keySet());
    List<RecipientUser> answer = new ArrayList<>();
    byUser.forEach(
        (userId, devices) ->
            answer.add(
                new RecipientUser(
                    userId,
                    users.containsKey(userId) ? users.get(userId).username() : null,
                    devices)));
    return new ConversationRecipientsResponse(
        conversation.conversationId(), listing.treeHead(), answer);
  }

  /** Stores an envelope: 201 once durable, 200 for a retry of one already stored. */
  @POST
  @Path("{conversationId}/messages")
  @DeviceProofRequired
  @Consumes(MediaType.APPLICATION_JSON)
  public Response send(@PathParam("conversationId") String conversationId, EnvelopeMessage message)
      throws UnknownConversationException,
          InvalidEnvelopeException,
          EnvelopeRejectedException,
          RecipientMismatchException,
          MessageIdReusedException,
          RecipientQueueFullException,
          RateLimitedException,
          ServerBusyException {
    limits.take(RateLimits.Action.SEND, proved.get().deviceId(), 1);
    if (message == null) {
      throw new InvalidEnvelopeException("the request body is missing");
    }
    Mailroom.Accepted accepted =
        envelopes.accept(id(conversationId), message, token.getSubject(), proved.get());
    return Response.status(accepted.created() ? 201 : 200).entity(Envelopes.view(accepted)).build();
  }

  /** A path id that is not a UUID names no conversation: the same 404 as any unknown one. */
  static UUID id(String conversationId) throws UnknownConversationException {
    try {
      UUID id = UUID.fromString(conversationId);
      if (id.toString().equals(conversationId)) {
        return id;
      }
    } catch (IllegalArgumentException notAUuid) {
      // falls through to the 404
    }
    throw new UnknownConversationException(conversationId);
  }

  private static Duration seconds(Long seconds) {
    return seconds == null ? null : Duration.ofSeconds(seconds);
  }
}
