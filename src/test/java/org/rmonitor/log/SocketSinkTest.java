package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * A daemon listening on a Unix stream socket (syslog-ng's unix-stream) gets what the C library
 * sends there: each message ended by a NUL byte. The JDK can listen on a stream socket, so this
 * one is real; datagram daemons are tested against rsyslogd end to end.
 */
@Timeout(30)
class SocketSinkTest {
  @TempDir Path tmp;

  @Test
  void aStreamSocketGetsNulTerminatedMessages() throws Exception {
    Path path = tmp.resolve("log.sock");
    try (ServerSocketChannel server = ServerSocketChannel.open(StandardProtocolFamily.UNIX)) {
      server.bind(UnixDomainSocketAddress.of(path));
      SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
      Instant t = Instant.parse("2013-03-09T04:40:03Z");
      FileSink fallback = new FileSink(tmp.resolve("fallback"), format, "host");
      try (SocketSink sink = new SocketSink(new Destination(Destination.Kind.UNIX, path.toString()), format, fallback, Duration.ofSeconds(2), m -> new LogRecord(t, Severity.WARNING, "job[1]", m));
          SocketChannel daemon = connectedTo(server, sink, new LogRecord(t, Severity.INFO, "job[1]", "JOB Begins"))) {
        sink.send(new LogRecord(t, Severity.ERR, "job[1]", "x".repeat(5000)));
        sink.send(new LogRecord(t, Severity.INFO, "job[1]", "JOB Status 0"));
        ByteArrayOutputStream got = new ByteArrayOutputStream();
        ByteBuffer buf = ByteBuffer.allocate(4096);
        while (count(got.toByteArray()) < 3) {
          buf.clear();
          if (daemon.read(buf) < 0) break;
          got.write(buf.array(), 0, buf.position());
        }
        List<String> messages = List.of(got.toString(StandardCharsets.UTF_8).split("\0"));
        assertThat(messages)
            .containsExactly(
                "<142>Mar  9 04:40:03 job[1]: JOB Begins",
                "<139>Mar  9 04:40:03 job[1]: " + "x".repeat(5000),
                "<142>Mar  9 04:40:03 job[1]: JOB Status 0");
      }
      assertThat(tmp.resolve("fallback")).doesNotExist();
    }
  }

  static LogRecord line(int i) {
    return new LogRecord(Instant.parse("2013-03-09T04:40:03Z"), Severity.INFO, "job[1]", "line " + i);
  }

  static LogRecord notice(String m) {
    return new LogRecord(Instant.parse("2013-03-09T04:40:03Z"), Severity.WARNING, "rmonitor", "job[1]: " + m);
  }

  /** The messages a daemon got, as their line numbers. */
  static List<String> texts(List<String> datagrams) {
    return datagrams.stream().map(d -> d.substring(d.indexOf(": ") + 2)).toList();
  }

  /** The fallback file's lines, without stamp and host. */
  List<String> fallbackLines() throws Exception {
    Path f = tmp.resolve("fallback");
    return Files.exists(f) ? Files.readAllLines(f).stream().map(l -> l.replaceFirst("^\\w{3} [ \\d]\\d \\S+ \\S+ ", "")).toList() : List.of();
  }

  SocketSink sink(Path socket, java.util.concurrent.atomic.AtomicLong clock) {
    SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
    return new SocketSink(
        new Destination(Destination.Kind.UNIX, socket.toString()), format,
        new FileSink(tmp.resolve("fallback"), format, "host"), Duration.ofSeconds(2), SocketSinkTest::notice, clock::get);
  }

  /**
   * A daemon that stops reading (its socket queue full) costs one line one bound, then every
   * line goes to the fallback file at once, after one WARNING; once it reads again, a probe a
   * second later finds it and delivery resumes. Every line is in exactly one place, in order.
   */
  @Test
  void aDaemonThatStopsReadingCostsOneBoundThenTheFallbackUntilAProbeFindsItReading() throws Exception {
    Path path = tmp.resolve("stuck.sock");
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    try (DatagramDaemon daemon = new DatagramDaemon(path); SocketSink sink = sink(path, clock)) {
      long start = System.nanoTime();
      for (int i = 1; i <= 100; i++) sink.send(line(i));
      Duration took = Duration.ofNanos(System.nanoTime() - start);
      assertThat(took).as("one bound, not one per line").isLessThan(Duration.ofSeconds(5));

      List<String> delivered = new java.util.ArrayList<>(texts(daemon.read()));
      List<String> fallback = fallbackLines();
      assertThat(fallback.getFirst())
          .isEqualTo("rmonitor: job[1]: WARNING log unix:" + path + " took no line within 2 s (a daemon that stopped"
              + " reading: full disk, blocked queue?); lines go to " + tmp.resolve("fallback") + " until it takes them again");
      int k = delivered.size();
      assertThat(k).as("the socket's queue").isBetween(1, 99);
      assertThat(fallback.subList(1, fallback.size()))
          .isEqualTo(java.util.stream.IntStream.rangeClosed(k + 1, 100).mapToObj(i -> "job[1]: line " + i).toList());

      sink.send(line(101)); // no probe within a second of the last
      clock.addAndGet(Duration.ofSeconds(1).toNanos());
      sink.send(line(102)); // the probe: the daemon has read, there is room
      sink.send(line(103));
      delivered.addAll(texts(daemon.read()));
      assertThat(fallbackLines().getLast()).isEqualTo("job[1]: line 101");
      assertThat(delivered.subList(k, delivered.size())).containsExactly("line 102", "line 103");
      assertThat(fallbackLines()).filteredOn(l -> l.contains("WARNING")).hasSize(1);
    }
  }

  /**
   * A daemon that dies takes what is queued in its socket with it: when the restart is noticed,
   * the lines of the last seconds are written to the fallback file too, and the line that found
   * it goes to the new daemon. Duplicates, no loss, and no WARNING: nothing was refused.
   */
  @Test
  void aRestartedDaemonGetsNewLinesAndTheFallbackFileTheOnesTheOldMayHaveLost() throws Exception {
    Path path = tmp.resolve("restart.sock");
    java.util.concurrent.atomic.AtomicLong clock = new java.util.concurrent.atomic.AtomicLong();
    try (SocketSink sink = sink(path, clock)) {
      try (DatagramDaemon old = new DatagramDaemon(path)) {
        for (int i = 1; i <= 5; i++) sink.send(line(i));
      } // dies with lines 1..5 unread
      try (DatagramDaemon restarted = new DatagramDaemon(path)) {
        sink.send(line(6));
        sink.send(line(7));
        assertThat(texts(restarted.read())).containsExactly("line 6", "line 7");
      }
      assertThat(fallbackLines()).containsExactly("job[1]: line 1", "job[1]: line 2", "job[1]: line 3", "job[1]: line 4", "job[1]: line 5");
    }
  }

  /**
   * A socket missing from the start is no daemon restarting: the first line goes to the fallback
   * file at once, after one WARNING, instead of waiting out the patience meant for a restart (an
   * hour here: waiting for it would trip the class's timeout).
   */
  @Test
  void aSocketMissingFromTheStartHoldsUpNoLine() throws Exception {
    SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
    try (SocketSink sink = new SocketSink(
        new Destination(Destination.Kind.UNIX, tmp.resolve("never.sock").toString()), format,
        new FileSink(tmp.resolve("fallback"), format, "host"), Duration.ofHours(1), SocketSinkTest::notice)) {
      sink.send(line(1));
      sink.send(line(2));
    }
    assertThat(fallbackLines()).hasSize(3);
    assertThat(fallbackLines().getFirst()).startsWith("rmonitor: job[1]: WARNING log unix:" + tmp.resolve("never.sock") + " cannot be reached");
    assertThat(fallbackLines().subList(1, 3)).containsExactly("job[1]: line 1", "job[1]: line 2");
  }

  /** The sink connects on its first send: accept it, with that first message on its way. */
  private static SocketChannel connectedTo(ServerSocketChannel server, SocketSink sink, LogRecord first)
      throws Exception {
    sink.send(first); // a connected stream socket takes it into its buffer before accept()
    return server.accept();
  }

  private static long count(byte[] b) {
    long n = 0;
    for (byte x : b) if (x == 0) n++;
    return n;
  }
}
