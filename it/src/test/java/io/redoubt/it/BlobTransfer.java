package io.redoubt.it;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.redoubt.client.AccessToken;
import io.redoubt.client.TrustAnchors;
import io.redoubt.client.messaging.Attachments;
import io.redoubt.protocol.attachments.AttachmentDescriptor;
import io.redoubt.protocol.auth.RequestProof;
import io.redoubt.protocol.crypto.FipsModule;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryPoolMXBean;
import java.lang.management.MemoryType;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Security;
import java.security.spec.PKCS8EncodedKeySpec;
import java.time.Instant;
import java.util.Base64;
import java.util.UUID;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;

/**
 * One attachment upload or download through the SDK, run by {@link BlobIT} in a JVM of its own with
 * a small heap ({@code -Xmx64m}): a file several times that size only passes if nothing holds it
 * whole. Secrets come on standard input, never on the command line.
 *
 * <p>Arguments: {@code upload|download SERVER TLS_CERT_PEM FILE}; standard input: the access token,
 * the device id, the device's PKCS#8 identity key (base64), and for a download the descriptor's
 * JSON. Prints the descriptor's JSON (upload), then {@code MiB/s} and the peak heap.
 */
public final class BlobTransfer {

  private BlobTransfer() {}

  public static void main(String[] args) throws Exception {
    Security.addProvider(new BouncyCastleFipsProvider());
    BufferedReader in =
        new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    AccessToken token = new AccessToken(in.readLine(), Instant.now().plusSeconds(300));
    UUID deviceId = UUID.fromString(in.readLine());
    PrivateKey key =
        KeyFactory.getInstance("EC", FipsModule.PROVIDER)
            .generatePrivate(new PKCS8EncodedKeySpec(Base64.getDecoder().decode(in.readLine())));
    Attachments attachments =
        new Attachments(URI.create(args[1]), TrustAnchors.fromPem(Path.of(args[2])));
    Attachments.ProofSigner proofs =
        (method, path) ->
            RequestProof.sign(
                    deviceId, method, path, token.value(), key, Instant.now(), FipsModule.random())
                .headerValue();
    ObjectMapper json = new ObjectMapper();
    Path file = Path.of(args[3]);
    long started = System.nanoTime();
    long bytes;
    if (args[0].equals("upload")) {
      AttachmentDescriptor sent =
          attachments.upload(file, "application/octet-stream", token, proofs);
      System.out.println(json.writeValueAsString(sent.toWire()));
      bytes = sent.size();
    } else {
      AttachmentDescriptor wanted =
          json.readValue(in.readLine(), AttachmentDescriptor.Wire.class).decode();
      attachments.download(wanted, file, token, proofs);
      bytes = Files.size(file);
    }
    double seconds = (System.nanoTime() - started) / 1e9;
    long peak = 0;
    for (MemoryPoolMXBean pool : ManagementFactory.getMemoryPoolMXBeans()) {
      if (pool.getType() == MemoryType.HEAP) {
        peak += pool.getPeakUsage().getUsed();
      }
    }
    System.out.printf(
        "%s %d MiB in %.1f s: %.1f MiB/s; peak heap %d MiB of max %d MiB%n",
        args[0],
        bytes >> 20,
        seconds,
        (bytes / 1048576.0) / seconds,
        peak >> 20,
        Runtime.getRuntime().maxMemory() >> 20);
  }
}
