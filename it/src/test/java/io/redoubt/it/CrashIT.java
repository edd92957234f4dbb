package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import io.redoubt.client.AccessToken;
import io.redoubt.it.Messaging.Dev;
import io.redoubt.protocol.api.EnvelopeMessage;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.security.Security;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.bouncycastle.jcajce.provider.BouncyCastleFipsProvider;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.container.test.api.RunAsClient;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.shrinkwrap.api.spec.EnterpriseArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A server killed with SIGKILL under load loses nothing it acknowledged. Senders post envelopes to
 * a second WildFly (same database) as fast as it takes them, retrying the same envelope after a
 * connection failure as a client does; meanwhile the server is killed at random moments and started
 * again. Afterwards every envelope that was answered 201 (or 200, a retry of one stored before the
 * crash) is in the recipient's queue, exactly once.
 */
@ExtendWith(ArquillianExtension.class)
@RunAsClient
class CrashIT {

  private static final int KILLS = 3;
  private static final int SENDERS = 4;

  @Deployment(testable = false)
  static EnterpriseArchive ear() {
    return Deployments.builtEar();
  }

  @Test
  void everyAcknowledgedEnvelopeSurvivesKillNine() throws Exception {
    if (Security.getProvider("BCFIPS") == null) {
      Security.addProvider(new BouncyCastleFipsProvider());
    }
    AccessToken alice = Lab.signIn("alice");
    AccessToken bob = Lab.signIn("bob");
    EnrolledDevices.revokeAllActive(alice);
    EnrolledDevices.revokeAllActive(bob);
    Dev sender = Messaging.enroll(alice, "alice crash sender");
    Dev recipient = Messaging.enroll(bob, "bob crash recipient");
    String conversation = Messaging.direct(alice, "bob");

    Set<String> acknowledged = ConcurrentHashMap.newKeySet();
    AtomicInteger retriedAfterCrash = new AtomicInteger();
    AtomicBoolean sending = new AtomicBoolean(true);

    try (SecondServer server = new SecondServer(Path.of("target/crash-server"))) {
      server.start();
      ExecutorService senders = Executors.newFixedThreadPool(SENDERS);
      List<Future<?>> running = new ArrayList<>();
      for (int i = 0; i < SENDERS; i++) {
        running.add(
            senders.submit(
                () -> {
                  while (sending.get()) {
                    EnvelopeMessage envelope =
                        Messaging.envelope(
                            sender, conversation, List.of(recipient), Duration.ofDays(1), 64);
                    String status = sendUntilAnswered(server, sender, conversation, envelope);
                    if (status != null) {
                      acknowledged.add(envelope.header().messageId());
                      if (status.equals("retried")) {
                        retriedAfterCrash.incrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (int kill = 1; kill <= KILLS; kill++) {
        // Under load: only once this incarnation has taken a few, at a random moment after that.
        int sinceStart = acknowledged.size();
        long patience = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (acknowledged.size() < sinceStart + 5 && System.nanoTime() < patience) {
          Thread.sleep(100);
        }
        Thread.sleep(ThreadLocalRandom.current().nextLong(0, 2_000));
        int before = acknowledged.size();
        server.kill();
        System.out.printf("kill -9 #%d after %d acknowledged envelopes%n", kill, before);
        server.start();
      }
      Thread.sleep(3_000);
      sending.set(false);
      for (Future<?> sent : running) {
        sent.get(2, TimeUnit.MINUTES);
      }
      senders.shutdown();

      List<String> delivered = drain(recipient);
      Set<String> distinct = new HashSet<>(delivered);
      System.out.printf(
          "acknowledged %d envelopes across %d kills (%d answered 200 on a retry after a crash);"
              + " %d in the recipient's queue%n",
          acknowledged.size(), KILLS, retriedAfterCrash.get(), delivered.size());
      assertThat(acknowledged).as("envelopes acknowledged under load").hasSizeGreaterThan(20);
      assertThat(distinct).as("every acknowledged envelope is delivered").containsAll(acknowledged);
      assertThat(delivered).as("each stored once, whatever the retries").hasSameSizeAs(distinct);
    }
  }

  /**
   * Posts until the server answers: the status ("stored", or "retried" when a 200 came after a
   * connection failure), or null when sending stopped first. A 429 waits its Retry-After.
   */
  private static String sendUntilAnswered(
      SecondServer server, Dev sender, String conversation, EnvelopeMessage envelope)
      throws Exception {
    String json = Http.JSON.writeValueAsString(envelope);
    boolean failedBefore = false;
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
    while (System.nanoTime() < deadline) {
      try {
        HttpResponse<String> answer =
            sender.call(
                SecondServer.URL,
                "POST",
                "/api/v1/conversations/" + conversation + "/messages",
                json);
        switch (answer.statusCode()) {
          case 201:
            return "stored";
          case 200:
            return failedBefore ? "retried" : "stored";
          case 429:
            Thread.sleep(
                1000 * Long.parseLong(answer.headers().firstValue("Retry-After").orElse("1")));
            break;
          default:
            if (answer.statusCode() < 500) {
              throw new AssertionError("refused: " + answer.statusCode() + " " + answer.body());
            }
            failedBefore = true; // a server going down may answer 5xx: retry the same envelope
            Thread.sleep(500);
        }
      } catch (IOException down) {
        failedBefore = true;
        Thread.sleep(500);
      }
    }
    throw new AssertionError("the server never came back for " + envelope.header().messageId());
  }

  private static List<String> drain(Dev device) throws Exception {
    List<String> messageIds = new ArrayList<>();
    long after = 0;
    boolean more = true;
    while (more) {
      HttpResponse<String> page =
          device.call(
              SecondServer.URL,
              "GET",
              "/api/v1/devices/" + device.id() + "/queue?after=" + after + "&limit=500",
              null);
      assertThat(page.statusCode()).as(page.body()).isEqualTo(200);
      JsonNode body = Http.JSON.readTree(page.body());
      for (JsonNode item : body.path("items")) {
        after = item.path("seq").asLong();
        if ("envelope".equals(item.path("kind").asText())) {
          messageIds.add(item.path("envelope").path("header").path("messageId").asText());
        }
      }
      more = body.path("more").asBoolean();
    }
    return messageIds;
  }
}
