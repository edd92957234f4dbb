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

    SocketTickets.Ticket grant = tickets.redeem(ticket).granted().orElseThrow();

    assertThat(grant.userId()).isEqualTo("user-a");
    assertThat(grant.deviceId()).isEqualTo("device-a");
    assertThat(grant.tokenExpiresAt()).isEqualTo(T0.plusSeconds(300));
    assertThat(grant.resumption()).isFalse();
    assertThat(tickets.redeem(ticket).granted()).isEmpty();
  }

  @Test
  void aRestTicketIsRefusedAfterThirtySeconds() {
    String ticket = tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    later(SocketTickets.LIFETIME.plusMillis(1));

    assertThat(tickets.redeem(ticket).granted()).isEmpty();
  }

  @Test
  void aResumptionTicketCarriesTheSameUserDeviceAndTokenExpiryOnce() {
    SocketTickets.Ticket first =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300)))
            .granted()
            .orElseThrow();
    later(Duration.ofSeconds(100)); // long past the REST ticket's 30 seconds

    String resumption = tickets.issueResumption(first).orElseThrow();
    SocketTickets.Ticket resumed = tickets.redeem(resumption).granted().orElseThrow();

    assertThat(resumed.userId()).isEqualTo("user-a");
    assertThat(resumed.deviceId()).isEqualTo("device-a");
    assertThat(resumed.tokenExpiresAt()).isEqualTo(first.tokenExpiresAt());
    assertThat(resumed.resumption()).isTrue();
    assertThat(tickets.redeem(resumption).granted()).as("used once already").isEmpty();
  }

  @Test
  void aChainOfResumptionsNeverOutlivesTheFirstToken() {
    SocketTickets.Ticket grant =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300)))
            .granted()
            .orElseThrow();

    for (int i = 0; i < 5; i++) {
      later(Duration.ofSeconds(50));
      grant = tickets.redeem(tickets.issueResumption(grant).orElseThrow()).granted().orElseThrow();
    }
    later(Duration.ofSeconds(40)); // 290 s: a ticket still, but only until the token ends
    String last = tickets.issueResumption(grant).orElseThrow();
    later(Duration.ofSeconds(11));

    assertThat(tickets.redeem(last).granted()).isEmpty();
    assertThat(tickets.issueResumption(grant)).as("no ticket once the token has expired").isEmpty();
  }

  @Test
  void aResumptionTicketExpiresWithinItsOwnLifetimeUnderALongToken() {
    SocketTickets.Ticket grant =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plus(Duration.ofHours(8))))
            .granted()
            .orElseThrow();
    String within = tickets.issueResumption(grant).orElseThrow();
    String beyond = tickets.issueResumption(grant).orElseThrow();

    later(SocketTickets.RESUMPTION_LIFETIME);
    assertThat(tickets.redeem(within).granted()).isPresent();
    later(Duration.ofMillis(1));
    assertThat(tickets.redeem(beyond).granted()).isEmpty();
  }

  @Test
  void unknownOversizedAndMissingTicketsFindNothing() {
    tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    assertThat(tickets.redeem(null).granted()).isEmpty();
    assertThat(tickets.redeem("A".repeat(43)).granted()).isEmpty();
    assertThat(tickets.redeem("A".repeat(101)).granted()).isEmpty();
  }

  @Test
  void ticketsAreDistinctSecrets() {
    String a = tickets.issue("user-a", "device-a", T0.plusSeconds(300));
    String b = tickets.issue("user-a", "device-a", T0.plusSeconds(300));

    assertThat(a).isNotEqualTo(b).hasSize(43); // 32 bytes, base64url without padding
  }

  @Test
  void aSpentResumptionTicketPresentedAgainEndsItsChain() {
    SocketTickets.Ticket first =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300)))
            .granted()
            .orElseThrow();
    String spent = tickets.issueResumption(first).orElseThrow();
    SocketTickets.Ticket resumed = tickets.redeem(spent).granted().orElseThrow();
    String successor = tickets.issueResumption(resumed).orElseThrow();

    SocketTickets.Redemption replay = tickets.redeem(spent);

    assertThat(replay.granted()).isEmpty();
    SocketTickets.Ticket reused = replay.reuse().orElseThrow();
    assertThat(reused.deviceId()).isEqualTo("device-a");
    assertThat(reused.chain()).isEqualTo(resumed.chain()).isEqualTo(first.chain());
    assertThat(tickets.chainEnded(resumed)).isTrue();
    assertThat(tickets.redeem(successor).granted())
        .as("the successor held by the chain's socket")
        .isEmpty();
    assertThat(tickets.issueResumption(resumed)).as("nothing more for the chain").isEmpty();
    assertThat(tickets.redeem(spent).reuse())
        .as("a further replay is still recognised")
        .isPresent();
  }

  @Test
  void aSpentRestTicketPresentedAgainEndsItsChainToo() {
    String ticket = tickets.issue("user-a", "device-a", T0.plusSeconds(300));
    SocketTickets.Ticket first = tickets.redeem(ticket).granted().orElseThrow();

    assertThat(tickets.redeem(ticket).reuse()).isPresent();
    assertThat(tickets.chainEnded(first)).isTrue();
  }

  @Test
  void reuseEndsOnlyItsOwnChain() {
    SocketTickets.Ticket mine =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300)))
            .granted()
            .orElseThrow();
    String othersTicket = tickets.issue("user-a", "device-a", T0.plusSeconds(300));
    SocketTickets.Ticket other = tickets.redeem(othersTicket).granted().orElseThrow();
    String othersNext = tickets.issueResumption(other).orElseThrow();
    String spent = tickets.issueResumption(mine).orElseThrow();
    tickets.redeem(spent);

    tickets.redeem(spent);

    assertThat(other.chain()).isNotEqualTo(mine.chain());
    assertThat(tickets.chainEnded(other)).isFalse();
    assertThat(tickets.redeem(othersNext).granted())
        .as("another socket of the same device, proved on its own")
        .isPresent();
  }

  @Test
  void unknownAndExpiredTicketsAreRefusedWithoutEndingAnything() {
    SocketTickets.Ticket grant =
        tickets
            .redeem(tickets.issue("user-a", "device-a", T0.plusSeconds(300)))
            .granted()
            .orElseThrow();
    String spent = tickets.issueResumption(grant).orElseThrow();
    tickets.redeem(spent);

    assertThat(tickets.redeem("A".repeat(43)).reuse()).isEmpty();
    later(SocketTickets.RESUMPTION_LIFETIME.plusMillis(1));
    SocketTickets.Redemption late = tickets.redeem(spent);

    assertThat(late.granted()).isEmpty();
    assertThat(late.reuse()).as("past its time a ticket is only stale").isEmpty();
    assertThat(tickets.chainEnded(grant)).isFalse();
  }
}
