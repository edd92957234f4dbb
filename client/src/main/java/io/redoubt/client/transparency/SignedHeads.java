package io.redoubt.client.transparency;

import io.redoubt.protocol.DisallowedKeyException;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.protocol.crypto.EcdsaP384;
import io.redoubt.protocol.transparency.TreeHead;
import java.security.InvalidKeyException;
import java.security.interfaces.ECPublicKey;
import java.time.Instant;
import java.util.Base64;

/** Turns a served tree head into a {@link TreeHead} only when the pinned log key signed it. */
public final class SignedHeads {

  private static final int ROOT_LENGTH = 48;

  private SignedHeads() {}

  /**
   * The head {@code served} describes, after verifying its signature with {@code logKey}.
   *
   * @throws TransparencyException when a field is malformed or the signature does not verify
   */
  public static TreeHead verify(TreeHeadResponse served, ECPublicKey logKey)
      throws TransparencyException {
    if (served == null || served.rootHash() == null || served.signature() == null) {
      throw new TransparencyException("the server sent an incomplete tree head");
    }
    TreeHead head;
    byte[] signature;
    try {
      byte[] root = Base64.getUrlDecoder().decode(served.rootHash());
      if (root.length != ROOT_LENGTH) {
        throw new TransparencyException("a tree head's root is " + ROOT_LENGTH + " bytes");
      }
      head = new TreeHead(served.treeSize(), root, Instant.ofEpochMilli(served.timestamp()));
      signature = Base64.getUrlDecoder().decode(served.signature());
    } catch (IllegalArgumentException e) {
      throw new TransparencyException("the tree head is malformed: " + e.getMessage(), e);
    }
    boolean valid;
    try {
      valid = EcdsaP384.verify(logKey, head.encode(), signature);
    } catch (DisallowedKeyException | InvalidKeyException e) {
      throw new TransparencyException("the pinned log key cannot verify: " + e.getMessage(), e);
    }
    if (!valid) {
      throw new TransparencyException(
          "the signature of the tree head of size "
              + served.treeSize()
              + " does not verify with the pinned transparency-log key");
    }
    return head;
  }
}
