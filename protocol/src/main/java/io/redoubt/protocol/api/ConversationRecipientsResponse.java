package io.redoubt.protocol.api;

import java.util.List;

/**
 * The devices a message from the calling device must be sealed for — every active device of every
 * member but the caller's own — each with its certificate, inclusion proof against {@code
 * treeHead}, and a freshly claimed prekey. The server accepts an envelope only for exactly this
 * set; the client trusts each device only after its own checks (chain, revocation list, log).
 */
public record ConversationRecipientsResponse(
    String conversationId, TreeHeadResponse treeHead, List<RecipientUser> users) {

  /** One member and their devices (possibly none). */
  public record RecipientUser(
      String userId, String username, List<DirectoryResponse.DirectoryDevice> devices) {}
}
