package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.atomic.AtomicReference;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class SocketTicketsTest {

  private static final Instant T0 = Instant.parse("2026-11-30T22:00:00Z");

  private final AtomicReference<Instant> now = new AtomicReference<>(T0);
  private final SocketTickets tickets =
      new SocketTickets(
          new Clock() {
            @Override
            public ZoneOffset getZone() {
              return ZoneOffset.UTC;
            }

            @Override
            public Clock withZone(java.time.ZoneId zone) {
              return this;
            }

            @Override
            public Instant instant() {
              return now.get();
            }
          });

  @BeforeAll
  static void fipsProvider() {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
  }

  private void later(Duration by) {
    now.set(now.get().plus(by));
  }

  @Test
  void aRestTicketOpensOneSocketOnly() {
    String ticket = tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    SocketTickets.Ticket grant = tickets.redeem(ticket).orElseThrow();

    assertThat(grant.userId()).isEqualTo("user-a");
    assertThat(grant.deviceId()).isEqualTo("device-a");
    assertThat(grant.tokenExpiresAt()).isEqualTo(T0.plusSeconds(300));
    assertThat(grant.resumption()).isFalse();
    assertThat(tickets.redeem(ticket)).isEmpty();
  }

  @Test
  void aRestTicketIsRefusedAfterThirtySeconds() {
    String ticket = tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    later(SocketTickets.LIFETIME.plusMillis(1));

    assertThat(tickets.redeem(ticket)).isEmpty();
  }

  @Test
  void aResumptionTicketCarriesTheSameUserDeviceAndTokenExpiryOnce() {
    SocketTickets.Ticket first =
        tickets.redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300))).orElseThrow();
    later(Duration.ofSeconds(100)); // long past the REST ticket's 30 seconds

    String resumption = tickets.issueResumption(first).orElseThrow();
    SocketTickets.Ticket resumed = tickets.redeem(resumption).orElseThrow();

    assertThat(resumed.userId()).isEqualTo("user-a");
    assertThat(resumed.deviceId()).isEqualTo("device-a");
    assertThat(resumed.tokenExpiresAt()).isEqualTo(first.tokenExpiresAt());
    assertThat(resumed.resumption()).isTrue();
    assertThat(tickets.redeem(resumption)).as("used once already").isEmpty();
  }

  @Test
  void aChainOfResumptionsNeverOutlivesTheFirstToken() {
    SocketTickets.Ticket grant =
        tickets.redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300))).orElseThrow();

    for (int i = 0; i < 5; i++) {
      later(Duration.ofSeconds(50));
      grant = tickets.redeem(tickets.issueResumption(grant).orElseThrow()).orElseThrow();
    }
    later(Duration.ofSeconds(40)); // 290 s: a ticket still, but only until the token ends
    String last = tickets.issueResumption(grant).orElseThrow();
    later(Duration.ofSeconds(11));

    assertThat(tickets.redeem(last)).isEmpty();
    assertThat(tickets.issueResumption(grant)).as("no ticket once the token has expired").isEmpty();
  }

  @Test
  void aResumptionTicketExpiresWithinItsOwnLifetimeUnderALongToken() {
    SocketTickets.Ticket grant =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plus(Duration.ofHours(8))))
            .orElseThrow();
    String within = tickets.issueResumption(grant).orElseThrow();
    String beyond = tickets.issueResumption(grant).orElseThrow();

    later(SocketTickets.RESUMPTION_LIFETIME);
    assertThat(tickets.redeem(within)).isPresent();
    later(Duration.ofMillis(1));
    assertThat(tickets.redeem(beyond)).isEmpty();
  }

  @Test
  void unknownOversizedAndMissingTicketsFindNothing() {
    tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    assertThat(tickets.redeem(null)).isEmpty();
    assertThat(tickets.redeem("A".repeat(43))).isEmpty();
    assertThat(tickets.redeem("A".repeat(101))).isEmpty();
  }

  @Test
  void ticketsAreDistinctSecrets() {
    String a = tickets.issue("user-a", "device-a", T0.plusSeconds(300));
    String b = tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    assertThat(a).isNotEqualTo(b).hasSize(43); // 32 bytes, base64url without padding
  }
}
