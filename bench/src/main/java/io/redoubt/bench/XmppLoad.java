package io.redoubt.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The XMPP peer beside {@link RelayLoad}: pairs of clients connected to a loopback XMPP server
 * (Prosody from Debian, started by {@code bench/bin/prosody-lab}), each sender sending 1:1 {@code
 * chat} messages to its peer's full JID at a share of the target rate, the receiver timing each
 * message from send to arrival. In-memory relaying: no TLS, no storage, no acknowledgement (XMPP
 * core has none; XEP-0198 is not used), so it is the peer's best case.
 *
 * <p>The client is a raw XML stream (stream header, SASL PLAIN, resource binding), enough for a
 * load tool and nothing to install. Message ids carry the sequence number the receiver looks up.
 */
public final class XmppLoad {

  private static final Pattern ID = Pattern.compile("<message[^>]*?\\sid=['\"](\\d+)['\"]");

  private XmppLoad() {}

  public static void main(String[] args) throws Exception {
    Map<String, String> options = Options.parse(args);
    if (options.containsKey("help")) {
      System.out.println(
          "Usage: XmppLoad [--port 5622] [--pairs 10] [--rates 10000,40000] [--seconds 20]"
              + " [--warmup 5] [--pid-file bench/target/prosody/prosody.pid]");
      return;
    }
    run(options);
  }

  /** Runs every rate of {@code --rates} against the server on {@code --port}. */
  static void run(Map<String, String> options) throws Exception {
    int port =
        Integer.parseInt(options.getOrDefault("xmpp-port", options.getOrDefault("port", "5622")));
    int pairs = Integer.parseInt(options.getOrDefault("pairs", "10"));
    int seconds = Integer.parseInt(options.getOrDefault("seconds", "20"));
    int warmup = Integer.parseInt(options.getOrDefault("warmup", "5"));
    Path pidFile = Path.of(options.getOrDefault("pid-file", "bench/target/prosody/prosody.pid"));
    int run = 0;
    for (String rate : options.getOrDefault("xmpp-rates", "10000,40000").split(",")) {
      once(port, pairs, Integer.parseInt(rate), seconds, warmup, pidFile, ++run);
      waitIdle(pidFile);
    }
  }

  /**
   * Waits (at most a minute) until the server used under 5 % of a core for a second: a run past the
   * server's capacity leaves a backlog that it would still be relaying during the next run.
   */
  private static void waitIdle(Path pidFile) throws Exception {
    long pid = Long.parseLong(Files.readString(pidFile).trim());
    for (int i = 0; i < 60; i++) {
      double before = processSeconds(pid);
      Thread.sleep(1000);
      if (processSeconds(pid) - before < 0.05) {
        return;
      }
    }
  }

  private static void once(
      int port, int pairs, int rate, int seconds, int warmup, Path pidFile, int run)
      throws Exception {
    List<Client> senders = new ArrayList<>();
    List<Client> receivers = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      senders.add(Client.connect(port, "bench" + (2 * p), "s"));
      receivers.add(Client.connect(port, "bench" + (2 * p + 1), "r"));
    }
    Map<Long, Long> sentAt = new ConcurrentHashMap<>();
    Latencies latency = new Latencies();
    AtomicLong received = new AtomicLong();
    AtomicLong sentInWindow = new AtomicLong();
    long t0 = System.nanoTime();
    long start = t0 + Duration.ofSeconds(warmup).toNanos();
    long end = start + Duration.ofSeconds(seconds).toNanos();
    List<Thread> threads = new ArrayList<>();
    for (Client receiver : receivers) {
      Thread reader = new Thread(() -> receiver.receive(sentAt, latency, received, start, end));
      reader.setDaemon(true);
      reader.start();
      threads.add(reader);
    }
    long pid = -1;
    try {
      pid = Long.parseLong(Files.readString(pidFile).trim());
    } catch (IOException | NumberFormatException e) {
      // CPU is then not reported.
    }
    long perSender = Math.max(1, rate / pairs);
    List<Thread> sending = new ArrayList<>();
    for (int p = 0; p < pairs; p++) {
      Client sender = senders.get(p);
      String to = "bench" + (2 * p + 1) + "@localhost/r";
      // Ids unique across runs, so that a late message of an earlier run is never timed.
      long base = ((long) run << 48) | ((long) p << 40);
      Thread thread =
          new Thread(
              () -> {
                long i = 0;
                long now;
                StringBuilder batch = new StringBuilder();
                while ((now = System.nanoTime()) < end) {
                  long due = (now - t0) * perSender / 1_000_000_000L;
                  batch.setLength(0);
                  while (i < due) {
                    long id = base + i++;
                    sentAt.put(id, now);
                    if (now >= start) {
                      sentInWindow.incrementAndGet();
                    }
                    batch
                        .append("<message to='")
                        .append(to)
                        .append("' type='chat' id='")
                        .append(id)
                        .append("'><body>relay benchmark message ")
                        .append(id)
                        .append("</body></message>");
                  }
                  if (batch.length() > 0) {
                    sender.write(batch.toString());
                  }
                  LockSupport.parkNanos(200_000);
                }
              });
      thread.start();
      sending.add(thread);
    }
    Thread.sleep(Math.max(0, (start - System.nanoTime()) / 1_000_000));
    double cpuBefore = processSeconds(pid);
    Thread.sleep(Math.max(0, (end - System.nanoTime()) / 1_000_000));
    double cpuUsed = processSeconds(pid) - cpuBefore;
    for (Thread t : sending) {
      t.join();
    }
    Thread.sleep(3000);
    System.out.printf(
        Locale.ROOT,
        "%n== XMPP (Prosody) 1:1, %d sender/receiver pairs on loopback, target %d msgs/s, %d s after"
            + " %d s warm-up (load average %s)%n"
            + "sent %.0f msgs/s, delivered %.0f msgs/s; send -> delivered: %s;"
            + " not delivered 3 s after the window: %d; server CPU %.1f s (%.0f%% of one core)%n",
        pairs,
        rate,
        seconds,
        warmup,
        RelayLoad.loadAverage(),
        sentInWindow.get() / (double) seconds,
        received.get() / (double) seconds,
        latency.summary(),
        sentAt.size(),
        cpuUsed,
        100 * cpuUsed / seconds);
    for (Client c : senders) {
      c.close();
    }
    for (Client c : receivers) {
      c.close();
    }
  }

  private static double processSeconds(long pid) {
    if (pid < 0) {
      return Double.NaN;
    }
    try {
      String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      return (Long.parseLong(fields[11]) + Long.parseLong(fields[12])) / 100.0;
    } catch (IOException | RuntimeException e) {
      return Double.NaN;
    }
  }

  /** One XMPP client connection, signed in and bound to a resource. */
  static final class Client {
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    private Client(Socket socket) throws IOException {
      this.socket = socket;
      this.in = socket.getInputStream();
      this.out = socket.getOutputStream();
    }

    static Client connect(int port, String user, String resource) throws IOException {
      Socket socket = new Socket();
      socket.setTcpNoDelay(true);
      socket.connect(new InetSocketAddress("127.0.0.1", port), 5000);
      Client c = new Client(socket);
      String header =
          "<?xml version='1.0'?><stream:stream to='localhost' xmlns='jabber:client'"
              + " xmlns:stream='http://etherx.jabber.org/streams' version='1.0'>";
      c.write(header);
      c.readUntil("</stream:features>");
      String plain =
          Base64.getEncoder()
              .encodeToString(("\0" + user + "\0bench").getBytes(StandardCharsets.UTF_8));
      c.write(
          "<auth xmlns='urn:ietf:params:xml:ns:xmpp-sasl' mechanism='PLAIN'>" + plain + "</auth>");
      String answer = c.readUntil("success");
      if (!answer.contains("success")) {
        throw new IOException("SASL failed for " + user + ": " + answer);
      }
      c.write(header);
      c.readUntil("</stream:features>");
      c.write(
          "<iq type='set' id='bind'><bind xmlns='urn:ietf:params:xml:ns:xmpp-bind'><resource>"
              + resource
              + "</resource></bind></iq>");
      c.readUntil("</iq>");
      return c;
    }

    synchronized void write(String xml) {
      try {
        out.write(xml.getBytes(StandardCharsets.UTF_8));
        out.flush();
      } catch (IOException e) {
        throw new IllegalStateException(e);
      }
    }

    private String readUntil(String marker) throws IOException {
      StringBuilder text = new StringBuilder();
      byte[] buffer = new byte[4096];
      while (text.indexOf(marker) < 0 && text.indexOf("failure") < 0) {
        int n = in.read(buffer);
        if (n < 0) {
          throw new IOException("stream closed; got: " + text);
        }
        text.append(new String(buffer, 0, n, StandardCharsets.UTF_8));
      }
      return text.toString();
    }

    /** Reads messages until the socket closes, timing those sent in [start, end). */
    void receive(
        Map<Long, Long> sentAt, Latencies latency, AtomicLong received, long start, long end) {
      byte[] buffer = new byte[64 * 1024];
      StringBuilder pending = new StringBuilder();
      try {
        int n;
        while ((n = in.read(buffer)) >= 0) {
          long now = System.nanoTime();
          pending.append(new String(buffer, 0, n, StandardCharsets.ISO_8859_1));
          Matcher m = ID.matcher(pending);
          int consumed = 0;
          while (m.find()) {
            int close = pending.indexOf("</message>", m.end());
            if (close < 0) {
              break;
            }
            Long sent = sentAt.remove(Long.parseLong(m.group(1)));
            if (sent != null && sent >= start && sent < end) {
              latency.record(now - sent);
            }
            if (now >= start && now < end) {
              received.incrementAndGet();
            }
            consumed = close + "</message>".length();
          }
          pending.delete(0, consumed);
        }
      } catch (IOException e) {
        // closed at the end of the run
      }
    }

    void close() throws IOException {
      try {
        write("</stream:stream>");
      } catch (IllegalStateException e) {
        // already gone
      }
      socket.close();
    }
  }
}
