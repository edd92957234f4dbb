package io.redoubt.protocol.api;

import java.util.List;

/**
 * A user's active devices as any member of the organisation may look them up: each certificate with
 * its inclusion proof against one signed tree head, so the client trusts a device only after
 * checking the CA chain, the revocation list and the log, never the server's word.
 *
 * @param userId the user's stable id (the identity provider's subject), as in log leaves
 * @param username the user's login name
 * @param treeHead the signed tree head every {@code inclusionProof} is against
 * @param devices the active devices, oldest first
 */
public record DirectoryResponse(
    String userId, String username, TreeHeadResponse treeHead, List<DirectoryDevice> devices) {

  /**
   * One device of the user.
   *
   * @param certificatePem the device certificate followed by the CA chain
   * @param issuedLogIndex the leaf that records the certificate's issue
   * @param inclusionProof that leaf's audit path in {@code treeHead}, base64url hashes
   * @param prekey when claimed ({@code POST …/prekey-bundles}): a one-time prekey, removed from the
   *     server by this claim, or the signed prekey when none was left; null on a plain lookup
   * @param oneTime whether {@code prekey} is a one-time prekey
   * @param issuedLogEntry the log entry at {@code issuedLogIndex}, exactly as {@code GET
   *     /transparency/entries} serves it, so that a client need not fetch it per device; optional
   *     (a client fetches the entry when it is absent). It is no more trusted than a fetched entry:
   *     the client checks its fields against its leaf bytes and the certificate, and its inclusion
   *     proof against the signed head
   */
  public record DirectoryDevice(
      String deviceId,
      String certificatePem,
      long issuedLogIndex,
      List<String> inclusionProof,
      PublishedPrekey prekey,
      boolean oneTime,
      LogEntryResponse issuedLogEntry) {}
}
