package io.redoubt.protocol;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.Security;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.bouncycastle.util.encoders.Hex;

/**
 * Published vectors from {@code redoubt.vectors.dir} (set by the build to ../shared/vectors), and
 * the FIPS provider the tests run on. Nothing is ever downloaded.
 */
public final class TestVectors {

  private TestVectors() {}

  /** Installs BCFIPS at position 1 unless it is already there. */
  public static void installFipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.insertProviderAt(new BouncyCastleFipsProvider(), 1);
    }
  }

  public static Path directory() {
    String dir = System.getProperty("redoubt.vectors.dir");
    if (dir == null || dir.isBlank()) {
      throw new IllegalStateException("system property redoubt.vectors.dir is not set");
    }
    return Path.of(dir);
  }

  public static JsonNode wycheproof(String file) {
    try {
      return new ObjectMapper().readTree(directory().resolve("wycheproof").resolve(file).toFile());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static String text(String relativePath) {
    try {
      return Files.readString(directory().resolve(relativePath), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public static byte[] hex(JsonNode node, String field) {
    return Hex.decode(node.get(field).asText());
  }
}
