package io.redoubt.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class AccessTokenTest {

  @Test
  void neverShowsTheTokenInToString() {
    var token = new AccessToken("eyJhbGciOiJFUzM4NCJ9.secret.signature", Instant.EPOCH);

    assertThat(token.toString()).doesNotContain("secret").contains("expiresAt");
    assertThat(token.authorization()).isEqualTo("Bearer eyJhbGciOiJFUzM4NCJ9.secret.signature");
  }
}
