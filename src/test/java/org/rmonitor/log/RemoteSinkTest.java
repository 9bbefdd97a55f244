package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** A remote collector over real loopback sockets: framing, a collector that stops reading, TLS. */
@Timeout(60)
class RemoteSinkTest {
  static final Instant T = Instant.parse("2013-03-09T04:40:03Z");
  static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir Path tmp;

  static LogRecord line(String text) {
    return new LogRecord(T, Severity.INFO, "job[7]", text);
  }

  RemoteSink sink(Destination to) throws Exception {
    javax.net.ssl.SSLContext tls = to.kind() == Destination.Kind.TLS ? Tls.context(to.tlsCa()) : null;
    SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
    return new RemoteSink(
        to, "host", new Connector(to, tls, Duration.ofSeconds(5)), new FileSink(tmp.resolve("fallback"), format, "host"),
        m -> new LogRecord(T, Severity.WARNING, "job[7]", m));
  }

  List<String> fallback() throws Exception {
    Path f = tmp.resolve("fallback");
    return Files.exists(f) ? Files.readAllLines(f).stream().map(l -> l.replaceFirst("^.*? host job\\[7\\]: ", "")).toList() : List.of();
  }

  static void awaitMode(RemoteSink sink, Outage.Mode mode) throws InterruptedException {
    long deadline = System.nanoTime() + WAIT.toNanos();
    while (sink.mode() != mode) {
      if (System.nanoTime() > deadline) throw new AssertionError("still " + sink.mode() + ", not " + mode);
      Thread.sleep(10); // polling another thread's state
    }
  }

  @Test
  void tcpFramesAreOctetCountedWithNothingBetweenThem() throws Exception {
    try (TcpCollector collector = TcpCollector.tcp(false, false)) {
      try (RemoteSink sink = sink(Destination.parse("tcp://127.0.0.1:" + collector.port()))) {
        sink.send(line("plain"));
        sink.send(line("Grüße € 😀")); // MSG-LEN counts bytes, not characters
        sink.send(line("x".repeat(1500)));
        sink.send(new LogRecord(T, Severity.ERR, "cron.daily", "no pid"));
      }
      List<String> got = collector.await(m -> m.size() == 4, WAIT);
      assertThat(got)
          .containsExactly(
              "<142>1 2013-03-09T04:40:03.000Z host job 7 - - plain",
              "<142>1 2013-03-09T04:40:03.000Z host job 7 - - Grüße € 😀",
              "<142>1 2013-03-09T04:40:03.000Z host job 7 - - " + "x".repeat(1500),
              "<139>1 2013-03-09T04:40:03.000Z host cron.daily - - - no pid");
      assertThat(collector.errors()).isEmpty();
    }
    assertThat(tmp.resolve("fallback")).doesNotExist();
  }

  @Test
  void lfFramingWhenAsked() throws Exception {
    try (TcpCollector collector = TcpCollector.tcp(true, false)) {
      try (RemoteSink sink = sink(Destination.parse("tcp://127.0.0.1:" + collector.port() + "?framing=lf"))) {
        sink.send(line("one"));
        sink.send(line("two"));
      }
      assertThat(collector.await(m -> m.size() == 2, WAIT)).allMatch(m -> m.startsWith("<142>1 ")).last().asString().endsWith(" two");
      assertThat(collector.errors()).isEmpty();
    }
  }

  @Test
  void theRoomLeavesTheHeaderInsideTheMessageSize() {
    Rfc5424 f = new Rfc5424("host", 2048);
    String header = "<142>1 2013-03-09T04:40:03.000Z host job 7 - - ";
    assertThat(f.room("job[7]")).isEqualTo(2048 - header.length());
    assertThat(new String(f.format(line("m")), java.nio.charset.StandardCharsets.UTF_8)).isEqualTo(header + "m");
  }

  /**
   * A collector that accepts but stops reading costs the job one bound, not one per line; lines
   * then go to the fallback file after one WARNING. When it reads again, the write that was stuck
   * completes and delivery resumes. Every line is somewhere.
   */
  @Test
  void aCollectorThatStopsReadingCostsOneBoundAndIsResumedWhenItReadsAgain() throws Exception {
    try (TcpCollector collector = TcpCollector.tcp(false, true)) {
      Destination to = Destination.parse("tcp://127.0.0.1:" + collector.port());
      try (RemoteSink sink = sink(to)) {
        String pad = "p".repeat(200);
        // A hang guard, not a measurement: one bound per line would be 20,000 x 2 s.
        org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(Duration.ofSeconds(45), () -> {
          for (int i = 1; i <= 20_000; i++) sink.send(line("line " + i + " " + pad));
        });
        assertThat(sink.mode()).isEqualTo(Outage.Mode.FALLBACK);
        List<String> kept = fallback();
        assertThat(kept.getFirst()).startsWith("WARNING log " + to + " took no line within 2 s (a collector that stopped reading?)");

        collector.startReading();
        awaitMode(sink, Outage.Mode.RECOVER);
        sink.send(line("after"));
        collector.await(m -> !m.isEmpty() && m.getLast().endsWith(" after"), WAIT);
      }
      Set<String> seen = new HashSet<>();
      for (String m : collector.messages()) seen.add(m.substring(m.indexOf(" - - ") + 5));
      seen.addAll(fallback());
      String pad = "p".repeat(200);
      assertThat(seen).containsAll(IntStream.rangeClosed(1, 20_000).mapToObj(i -> "line " + i + " " + pad).toList());
      assertThat(fallback()).filteredOn(l -> l.startsWith("WARNING")).hasSize(1);
      assertThat(collector.errors()).isEmpty();
    }
  }

  @Test
  void aCollectorThatIsDownIsOneWarningThenFoundAgainWhenItComesBack() throws Exception {
    int port;
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    Destination to = Destination.parse("tcp://127.0.0.1:" + port);
    try (RemoteSink sink = sink(to)) {
      sink.send(line("first"));
      awaitMode(sink, Outage.Mode.FALLBACK);
      sink.send(line("second"));
      assertThat(fallback()).containsExactly("WARNING log " + to + " cannot be reached: Connection refused; lines go to "
          + tmp.resolve("fallback") + " until it takes them again", "first", "second");
      try (TcpCollector collector = TcpCollector.tcp(new ServerSocket(port, 50, java.net.InetAddress.getLoopbackAddress()))) {
        awaitMode(sink, Outage.Mode.RECOVER);
        sink.send(line("third"));
        assertThat(collector.await(m -> m.size() == 1, WAIT).getFirst()).endsWith(" - - third");
      }
    }
  }

  /** UDP to a closed port on a reachable host: the kernel says so, and no line is lost. */
  @Test
  void udpToAClosedPortIsNoticedAndItsLinesAreKept() throws Exception {
    int port;
    try (java.net.DatagramSocket s = new java.net.DatagramSocket(0, java.net.InetAddress.getLoopbackAddress())) {
      port = s.getLocalPort();
    }
    Destination to = Destination.parse("udp://127.0.0.1:" + port);
    int sent = 0;
    try (RemoteSink sink = sink(to)) {
      long deadline = System.nanoTime() + WAIT.toNanos();
      while (sink.mode() != Outage.Mode.FALLBACK && System.nanoTime() < deadline) {
        sink.send(line("u" + ++sent));
        Thread.sleep(10); // gives the ICMP reply time to come back; the mode is the condition
      }
    }
    List<String> kept = fallback();
    assertThat(kept.getFirst()).startsWith("WARNING log " + to + " failed: ");
    assertThat(kept).containsAll(IntStream.rangeClosed(1, sent).mapToObj(i -> "u" + i).toList());
  }

  @Test
  void tlsTrustsTheCaGivenAndRefusesAnUnknownOneWithTheReason() throws Exception {
    TestCa ca = TestCa.create(tmp.resolve("ca"));
    try (TcpCollector collector = TcpCollector.tls(ca.serverContext(), false)) {
      Destination to = Destination.parse("tls://localhost:" + collector.port()).withTlsCa(ca.ca);
      try (RemoteSink sink = sink(to)) {
        sink.send(line("secret"));
      }
      assertThat(collector.await(m -> m.size() == 1, WAIT).getFirst()).endsWith(" - - secret");
      assertThat(CollectorCheck.problem(to, Duration.ofSeconds(5))).isEmpty();

      Destination untrusted = Destination.parse("tls://localhost:" + collector.port());
      try (RemoteSink sink = sink(untrusted)) {
        sink.send(line("kept"));
        awaitMode(sink, Outage.Mode.FALLBACK);
      }
      assertThat(fallback().getFirst())
          .startsWith("WARNING log " + untrusted + " cannot be reached: TLS handshake failed: its certificate is not signed by a CA trusted here (see --tls-ca); lines go to");
      assertThat(fallback()).contains("kept");
      assertThat(CollectorCheck.problem(untrusted, Duration.ofSeconds(5))).get().asString().contains("not signed by a CA trusted here");
      assertThat(CollectorCheck.problem(Destination.parse("tls://127.0.0.1:" + collector.port()).withTlsCa(ca.ca), Duration.ofSeconds(5)))
          .as("a certificate for localhost and 127.0.0.1 only").isEmpty();
    }
  }
}
