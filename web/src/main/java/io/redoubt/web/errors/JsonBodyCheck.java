package io.redoubt.web.errors;

import jakarta.json.Json;
import jakarta.json.JsonException;
import jakarta.json.stream.JsonParser;
import jakarta.json.stream.JsonParserFactory;
import jakarta.ws.rs.ProcessingException;
import jakarta.ws.rs.core.MediaType;
import jakarta.ws.rs.ext.Provider;
import jakarta.ws.rs.ext.ReaderInterceptor;
import jakarta.ws.rs.ext.ReaderInterceptorContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * Reads every JSON request body once with a plain streaming parser before JSON-B binds it, and
 * refuses (400, as any malformed body) one that is not exactly one complete JSON value nested at
 * most {@value #MAX_DEPTH} deep.
 *
 * <p>Why: the JSON-B implementation WildFly ships (Yasson over Parsson) skips the properties a
 * record does not have with the parser's {@code skipObject}/{@code skipArray}, and those never
 * return when the text ends inside the skipped value: a body such as {@code {"x":[1,[2} held a
 * worker thread at full CPU for good. Checked first, the binder only ever sees complete text. The
 * body is already bounded by {@link RequestBodyLimit} (1 MiB), so holding it is cheap; attachment
 * uploads are not JSON and pass untouched.
 */
@Provider
public class JsonBodyCheck implements ReaderInterceptor {

  /** Deeper than any request body or socket frame of the API (an enrollment nests four levels). */
  public static final int MAX_DEPTH = 64;

  private static final JsonParserFactory PARSERS = Json.createParserFactory(Map.of());

  @Override
  public Object aroundReadFrom(ReaderInterceptorContext context) throws IOException {
    if (!isJson(context.getMediaType())) {
      return context.proceed();
    }
    byte[] body;
    try {
      body = context.getInputStream().readAllBytes();
    } catch (RequestBodyLimit.TooLargeException e) {
      throw new ProcessingException(e);
    }
    if (body.length > 0) {
      try {
        check(body);
      } catch (JsonException e) {
        throw new ProcessingException("the request body is not JSON", e);
      }
    }
    context.setInputStream(new ByteArrayInputStream(body));
    return context.proceed();
  }

  private static boolean isJson(MediaType type) {
    return type != null
        && "application".equalsIgnoreCase(type.getType())
        && ("json".equalsIgnoreCase(type.getSubtype())
            || type.getSubtype().toLowerCase(java.util.Locale.ROOT).endsWith("+json"));
  }

  /**
   * Passes {@code body} when it is one complete JSON value nested at most {@value #MAX_DEPTH} deep.
   *
   * @throws JsonException otherwise
   */
  static void check(byte[] body) {
    try (JsonParser json = PARSERS.createParser(new ByteArrayInputStream(body))) {
      if (!json.hasNext()) {
        throw new JsonException("the body holds no JSON value");
      }
      skipValue(json);
      if (json.hasNext()) {
        throw new JsonException("the body holds more than one JSON value");
      }
    } catch (NoSuchElementException | IllegalStateException e) {
      // The parser's words for text that ends early or a value where a name belongs.
      throw new JsonException("the body is not one complete JSON value", e);
    }
  }

  /**
   * Reads past the next value of {@code json}, nested at most {@value #MAX_DEPTH} deep, by walking
   * its events. The one way this server skips JSON it does not read: Parsson's {@code skipObject}
   * and {@code skipArray} never return when the text ends inside the value.
   *
   * @throws JsonException when the value nests deeper, or the text ends inside it
   */
  public static void skipValue(JsonParser json) {
    int depth = 0;
    do {
      switch (json.next()) {
        case START_OBJECT, START_ARRAY -> {
          if (++depth > MAX_DEPTH) {
            throw new JsonException("a value nests deeper than " + MAX_DEPTH);
          }
        }
        case END_OBJECT, END_ARRAY -> depth--;
        default -> {
          // Names and scalar values: the parser has checked their syntax.
        }
      }
    } while (depth > 0);
  }
}
