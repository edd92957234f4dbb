package io.redoubt.web.errors;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import jakarta.json.JsonException;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

// A failure here may be a hang: the bodies below are the kind that held JSON-B's parser for ever.
@Timeout(value = 20, unit = TimeUnit.SECONDS)
class JsonBodyCheckTest {

  private static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{}",
        "[]",
        "\"text\"",
        "42",
        "{\"header\":{\"v\":1,\"to\":[\"a\",\"b\"]},\"x\":[1,[2,[3]],{\"y\":null}]}",
        "  {\"a\":true}  \n",
        "[{\"deviceId\":\"d\",\"prekeys\":[{\"id\":1,\"key\":\"AAAA\"}]}]"
      })
  void oneCompleteValuePasses(String body) {
    assertThatCode(() -> JsonBodyCheck.check(utf8(body))).doesNotThrowAnyException();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "{\"x\":[1,[2",
        "{\"x\":{\"y\":{\"z\":",
        "{\"header\":",
        "{\"a\":\"unterminated",
        "[",
        "{",
        "{\"a\":1,}",
        "{\"a\" 1}",
        "{} {}",
        "{}x",
        "[1,2]]",
        "not json",
        "   "
      })
  void anythingElseIsRefused(String body) {
    assertThatThrownBy(() -> JsonBodyCheck.check(utf8(body))).isInstanceOf(JsonException.class);
  }

  @ParameterizedTest
  @ValueSource(ints = {65, 5_000, 200_000})
  void deepNestingIsRefusedWithoutRecursion(int depth) {
    String body = "[".repeat(depth) + "]".repeat(depth);
    assertThatThrownBy(() -> JsonBodyCheck.check(utf8(body)))
        .isInstanceOf(JsonException.class)
        .hasMessageContaining("deeper");
  }

  @ParameterizedTest
  @ValueSource(ints = {1, 64})
  void nestingUpToTheLimitPasses(int depth) {
    String body = "[".repeat(depth) + "]".repeat(depth);
    assertThatCode(() -> JsonBodyCheck.check(utf8(body))).doesNotThrowAnyException();
  }
}
