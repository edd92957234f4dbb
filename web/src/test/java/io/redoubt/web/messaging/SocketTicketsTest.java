package io.redoubt.web.messaging;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.Security;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.concurrent.Callable;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
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

  /** The grant of a device's first socket: a REST ticket under a token good for 300 s, redeemed. */
  private SocketTickets.Ticket firstSocket(String deviceId) {
    return tickets
        .redeem(tickets.issue("user-a", deviceId, T0.plusSeconds(300)))
        .granted()
        .orElseThrow();
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
    SocketTickets.Ticket first = firstSocket("device-a");
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
    SocketTickets.Ticket grant = firstSocket("device-a");

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
    SocketTickets.Ticket first = firstSocket("device-a");
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
    SocketTickets.Ticket mine = firstSocket("device-a");
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
    SocketTickets.Ticket grant = firstSocket("device-a");
    String spent = tickets.issueResumption(grant).orElseThrow();
    tickets.redeem(spent);

    assertThat(tickets.redeem("A".repeat(43)).reuse()).isEmpty();
    later(SocketTickets.RESUMPTION_LIFETIME.plusMillis(1));
    SocketTickets.Redemption late = tickets.redeem(spent);

    assertThat(late.granted()).isEmpty();
    assertThat(late.reuse()).as("past its time a ticket is only stale").isEmpty();
    assertThat(tickets.chainEnded(grant)).isFalse();
  }

  @Test
  void aRevokedDevicesResumptionsAreRefusedAndNoMoreAreIssued() {
    SocketTickets.Ticket grant = firstSocket("device-a");
    String next = tickets.issueResumption(grant).orElseThrow();
    SocketTickets.Ticket other = firstSocket("device-b");

    tickets.deviceRevoked("device-a");

    SocketTickets.Ticket resumed = tickets.redeem(next).granted().orElseThrow();
    assertThat(tickets.revokedOnThisNode(resumed)).isTrue();
    assertThat(tickets.issueResumption(resumed)).isEmpty();
    assertThat(tickets.revokedOnThisNode(other)).as("another device of the user").isFalse();
    assertThat(tickets.issueResumption(other)).isPresent();
  }

  @Test
  void aRevocationIsRememberedWhileATicketOfTheDeviceIsHeld() {
    tickets.deviceRevoked("device-a");
    later(SocketTickets.RESUMPTION_LIFETIME.minusSeconds(10));
    // Issued from a proof checked just before the revocation committed: its hello reads the
    // device, but the mark must outlive it all the same.
    String late = tickets.issue("user-a", "device-a", T0.plusSeconds(3600));
    SocketTickets.Ticket probe =
        new SocketTickets.Ticket("user-a", "device-a", T0, T0.plusSeconds(3600), true, 0);
    later(Duration.ofSeconds(11));

    tickets.forgetRevocationsNoTicketNames(now.get());
    assertThat(tickets.revokedOnThisNode(probe)).as("a held ticket names the device").isTrue();

    later(SocketTickets.LIFETIME);
    assertThat(tickets.redeem(late).granted()).as("expired, and so dropped").isEmpty();
    tickets.forgetRevocationsNoTicketNames(now.get());
    assertThat(tickets.revokedOnThisNode(probe)).isFalse();
  }

  @Test
  void aRevocationIsRememberedAtLeastAsLongAsAResumptionTicketLives() {
    tickets.deviceRevoked("device-a");
    SocketTickets.Ticket probe =
        new SocketTickets.Ticket("user-a", "device-a", T0, T0.plusSeconds(3600), true, 0);

    later(SocketTickets.RESUMPTION_LIFETIME.minusMillis(1));
    tickets.forgetRevocationsNoTicketNames(now.get());
    assertThat(tickets.revokedOnThisNode(probe)).isTrue();

    later(Duration.ofMillis(2));
    tickets.forgetRevocationsNoTicketNames(now.get());
    assertThat(tickets.revokedOnThisNode(probe)).isFalse();
  }

  @Test
  void aQuietNodeDropsExpiredTicketsAndOldRevocationsWithinAPurgeInterval() {
    for (int i = 0; i < 10; i++) {
      firstSocket("device-" + i);
    }
    tickets.deviceRevoked("device-r");
    SocketTickets.Ticket probe =
        new SocketTickets.Ticket("user-a", "device-r", T0, T0.plusSeconds(3600), true, 0);
    assertThat(tickets.held()).isEqualTo(10);

    // Spent tickets are kept until they expire, revocation marks for a resumption ticket's life;
    // after both, the next issue past the interval purges, far below the size that forces it.
    later(SocketTickets.RESUMPTION_LIFETIME.plus(SocketTickets.PURGE_INTERVAL));
    tickets.issue("user-b", "device-b", now.get().plusSeconds(300));

    assertThat(tickets.held()).as("only the new ticket").isEqualTo(1);
    assertThat(tickets.revokedOnThisNode(probe)).isFalse();
  }

  @Test
  void aPurgeKeepsWhatIsStillNeeded() {
    firstSocket("device-a");
    tickets.deviceRevoked("device-r");
    SocketTickets.Ticket probe =
        new SocketTickets.Ticket("user-a", "device-r", T0, T0.plusSeconds(3600), true, 0);

    later(SocketTickets.PURGE_INTERVAL.plusSeconds(1));
    String fresh = tickets.issue("user-b", "device-b", now.get().plusSeconds(300));

    assertThat(tickets.revokedOnThisNode(probe)).as("younger than a resumption ticket").isTrue();
    assertThat(tickets.held()).as("the expired REST ticket went, the new one stays").isEqualTo(1);
    assertThat(tickets.redeem(fresh).granted()).isPresent();
  }

  @Test
  void aTicketPresentedTwiceAtOnceOpensAtMostOneSocketAndEndsItsChain() throws Exception {
    for (int round = 0; round < 200; round++) {
      SocketTickets.Ticket grant = firstSocket("device-" + round);
      String resumption = tickets.issueResumption(grant).orElseThrow();
      CyclicBarrier start = new java.util.concurrent.CyclicBarrier(2);
      Callable<SocketTickets.Redemption> present =
          () -> {
            start.await();
            return tickets.redeem(resumption);
          };
      ExecutorService two = Executors.newFixedThreadPool(2);
      try {
        var a = two.submit(present);
        var b = two.submit(present);
        SocketTickets.Redemption first = a.get();
        SocketTickets.Redemption second = b.get();

        long granted = Stream.of(first, second).filter(r -> r.granted().isPresent()).count();
        assertThat(granted).as("round " + round).isLessThanOrEqualTo(1);
        assertThat(Stream.of(first, second))
            .as("round " + round)
            .anyMatch(r -> r.reuse().isPresent());
        assertThat(tickets.chainEnded(grant)).as("round " + round).isTrue();
      } finally {
        two.shutdown();
      }
    }
  }
}
