package io.redoubt.client;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.ObjectReader;
import com.fasterxml.jackson.databind.ObjectWriter;

/**
 * The SDK's one JSON configuration: reading tolerates members that a newer server (or a newer
 * client's profile) added, so that adding a member is never a breaking change.
 */
public final class Json {
  static final ObjectMapper MAPPER =
      new ObjectMapper().configure(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES, false);

  /**
   * Reads with the SDK's configuration; name the type when reading. Readers are immutable, so
   * sharing this one cannot change how anyone else reads.
   */
  public static final ObjectReader READER = MAPPER.reader();

  /** Writes with the SDK's configuration; immutable like {@link #READER}. */
  public static final ObjectWriter WRITER = MAPPER.writer();

  private Json() {}
}
