package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.DatagramSocket;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.TcpCollector;

/** Remote collectors: the same rsyslogd, listening on loopback UDP and TCP. */
class RemoteIT extends SandboxTest {
  int udpPort;
  int tcpPort;

  @Override
  String extraSyslogInputs() throws Exception {
    try (DatagramSocket u = new DatagramSocket(0); ServerSocket t = new ServerSocket(0)) {
      udpPort = u.getLocalPort();
      tcpPort = t.getLocalPort();
    }
    return """
        module(load="imudp")
        input(type="imudp" address="127.0.0.1" port="%d")
        module(load="imtcp")
        input(type="imtcp" address="127.0.0.1" port="%d")
        """.formatted(udpPort, tcpPort);
  }

  /** True once /proc/net says 127.0.0.1:port is bound (udp) or listening (tcp). */
  static boolean listening(String proto, int port) {
    String local = String.format("0100007F:%04X", port);
    try {
      return Files.readAllLines(Path.of("/proc/net/" + proto)).stream()
          .map(l -> l.trim().split("\\s+"))
          .anyMatch(f -> f.length > 3 && f[1].equals(local) && (proto.equals("udp") || f[3].equals("0A")));
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "echo \"$1 ran\"");
    ResourceIT.await(() -> listening("udp", udpPort) && listening("tcp", tcpPort), "rsyslogd listens on loopback");
  }

  private void logsTo(String destination) throws Exception {
    Path s = box.script("remote", "-L UsbBackup /bin/sh", "echo to the collector; echo 'and an error' >&2");
    box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", destination));
    // rsyslog writes an RFC 5424 message's tag (APP-NAME[PROCID]) without the colon an RFC 3164
    // tag carries: put it back to compare with what a local socket gives.
    List<String> lines =
        Sandbox.tagged(box.awaitJobsEnded(1)).stream().map(l -> l.replaceFirst("^(\\S+?):? ", "$1: ")).toList();
    long pid = box.monitors().getFirst();
    String job = "remote[" + pid + "]";
    assertThat(lines)
        .containsSubsequence(
            "cron.daily: JOB " + job + " Launched",
            "rmonitor: " + job + ": JOB Begins",
            "rmonitor: " + job + ": PREP UsbBackup: PREP ran",
            "rmonitor: " + job + ": PREP UsbBackup: EXIT Status  0",
            job + ": to the collector",
            "rmonitor: " + job + ": JOB Status 0");
    assertThat(box.syslog.detailLines())
        .contains("local1.err " + job + " and an error", "local1.info " + job + " to the collector");
    // Nothing but the job's messages: no junk message per line from bytes between frames.
    assertThat(box.syslog.detailLines()).allMatch(l -> l.startsWith("local1."));
    // The report reads a collector's file as well as a local one.
    Sandbox.Result report = box.run(List.of(Sandbox.RMONITOR.toString(), "report", box.syslog.messages().toString()));
    assertThat(report.stdout()).startsWith("HOST ").contains("\nJOB " + job + " launched ");
    assertThat(report.stdout().lines()).anyMatch(l -> l.matches("  waited \\d+s for PREP, ran \\d+s, JOB Status 0"));
  }

  @Test
  void udp() throws Exception {
    logsTo("udp://127.0.0.1:" + udpPort);
  }

  @Test
  void tcpOctetCounted() throws Exception {
    logsTo("tcp://127.0.0.1:" + tcpPort);
  }

  @Test
  void tcpWithLfFraming() throws Exception {
    logsTo("tcp://127.0.0.1:" + tcpPort + "?framing=lf");
  }

  /** Every byte a job sends is an RFC 6587 frame of an RFC 5424 message, nothing in between. */
  @Test
  void aJobsFramesParseStrictly() throws Exception {
    try (TcpCollector collector = TcpCollector.tcp(false, false)) {
      Path s = box.script("framed", "UsbBackup /bin/sh", "echo 'Grüße €'; echo; printf 'x%.0s' $(seq 1 3000); echo");
      box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", "tcp://127.0.0.1:" + collector.port()));
      long pid = box.monitors().getFirst();
      List<String> got = collector.await(m -> !m.isEmpty() && m.getLast().endsWith("JOB Status 0"), Sandbox.TIMEOUT);
      assertThat(collector.errors()).isEmpty();
      String header = "<1[34][0-9]>1 \\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z \\S+ ";
      assertThat(got).allMatch(m -> m.matches(header + "(framed " + pid + "|cron\\.daily -) - - .*"));
      assertThat(got).anyMatch(m -> m.endsWith(" framed " + pid + " - - Grüße €"));
      assertThat(got).anyMatch(m -> m.endsWith(" framed " + pid + " - - "));
      // 3000 bytes in parts that each fit the remote default of 2048 bytes.
      assertThat(got.stream().filter(m -> m.contains(" - - [")).toList())
          .hasSize(2)
          .allMatch(m -> m.getBytes(java.nio.charset.StandardCharsets.UTF_8).length <= 2048);
    }
  }

  /**
   * A TCP collector that accepts but stops reading: a job of 20,000 lines still ends within
   * seconds, and every line is at the collector (once it reads again) or in the fallback file.
   */
  @Test
  void aTcpCollectorThatStopsReadingCostsTheJobOneBound() throws Exception {
    try (TcpCollector collector = TcpCollector.tcp(false, true)) {
      // 20,000 lines of 1,000 bytes: far more than the kernel's socket buffers hold.
      Path s = box.script("deaf", "UsbBackup /bin/sh", "pad=$(printf '.%.0s' $(seq 1 990)); seq 1 20000 | sed \"s/$/ $pad/\"");
      long start = System.nanoTime();
      box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", "tcp://127.0.0.1:" + collector.port()));
      box.awaitMonitorsGone();
      assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
      long pid = box.monitors().getFirst();
      List<String> kept = Files.readAllLines(box.fallback);
      assertThat(kept).filteredOn(l -> l.contains("WARNING")).hasSize(1);
      assertThat(kept.getFirst()).contains("deaf[" + pid + "]: WARNING log tcp://127.0.0.1:" + collector.port() + " took no line within 2 s");

      collector.startReading();
      List<String> got = collector.await(m -> !m.isEmpty(), Sandbox.TIMEOUT);
      java.util.Set<String> seen = new java.util.HashSet<>();
      for (String l : kept) seen.add(l.replaceFirst(".* deaf\\[\\d+\\]: (\\d+) .*", "$1"));
      for (String m : collector.messages()) seen.add(m.replaceFirst(".* - - (\\d+) .*", "$1"));
      assertThat(seen).containsAll(java.util.stream.IntStream.rangeClosed(1, 20000).mapToObj(Integer::toString).toList());
      assertThat(collector.errors()).as("a frame cut short when the monitor gave up is all that may be wrong").hasSizeLessThanOrEqualTo(1);
    }
  }

  @Test
  void aCollectorThatIsDownCostsNoTimeAndLosesNoLine() throws Exception {
    int closed;
    try (ServerSocket t = new ServerSocket(0)) {
      closed = t.getLocalPort();
    }
    Path s = box.script("nocollector", "UsbBackup /bin/sh", "seq 1 200");
    Sandbox.Result launch = box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", "tcp://127.0.0.1:" + closed));
    assertThat(launch.stderr())
        .startsWith("rmonitor: WARNING log collector tcp://127.0.0.1:" + closed + " cannot be reached: Connection refused;"
            + " lines go to " + box.fallback + " until it can be reached\n");
    box.awaitMonitorsGone();
    List<String> kept = Files.readAllLines(box.fallback);
    long pid = box.monitors().getFirst();
    assertThat(kept.stream().filter(l -> l.matches(".* nocollector\\[" + pid + "\\]: \\d+"))).hasSize(200);
    assertThat(kept.getLast()).endsWith("nocollector[" + pid + "]: JOB Status 0");
  }
}
