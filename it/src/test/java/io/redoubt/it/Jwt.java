package io.redoubt.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.Signature;
import java.util.Base64;

/** Builds and takes apart compact JWS tokens, to forge and tamper with them in tests. */
final class Jwt {

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final Base64.Encoder ENCODER = Base64.getUrlEncoder().withoutPadding();
  private static final Base64.Decoder DECODER = Base64.getUrlDecoder();

  private Jwt() {}

  static ObjectNode header(String token) throws Exception {
    return (ObjectNode) JSON.readTree(DECODER.decode(token.split("\\.")[0]));
  }

  static ObjectNode payload(String token) throws Exception {
    return (ObjectNode) JSON.readTree(DECODER.decode(token.split("\\.")[1]));
  }

  /** Signs header and payload with an ES384 key of the caller's (JWS: raw r||s signature). */
  static String signEs384(ObjectNode header, ObjectNode payload, PrivateKey key) throws Exception {
    String signingInput = encode(header) + "." + encode(payload);
    Signature signer = Signature.getInstance("SHA384withECDSAinP1363Format");
    signer.initSign(key);
    signer.update(signingInput.getBytes(StandardCharsets.US_ASCII));
    return signingInput + "." + ENCODER.encodeToString(signer.sign());
  }

  /** The token with its payload replaced and the original signature kept. */
  static String withPayload(String token, ObjectNode payload) throws Exception {
    String[] parts = token.split("\\.");
    return parts[0] + "." + encode(payload) + "." + parts[2];
  }

  /** The token with one bit of its signature flipped (not a trailing character appended). */
  static String withFlippedSignatureBit(String token) {
    String[] parts = token.split("\\.");
    byte[] signature = DECODER.decode(parts[2]);
    signature[signature.length / 2] ^= 0x01;
    return parts[0] + "." + parts[1] + "." + ENCODER.encodeToString(signature);
  }

  private static String encode(ObjectNode node) throws Exception {
    return ENCODER.encodeToString(JSON.writeValueAsBytes(node));
  }
}
