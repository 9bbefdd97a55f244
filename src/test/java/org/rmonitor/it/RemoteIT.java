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
  void aCollectorThatIsDownCostsNoTimeAndLosesNoLine() throws Exception {
    int closed;
    try (ServerSocket t = new ServerSocket(0)) {
      closed = t.getLocalPort();
    }
    Path s = box.script("nocollector", "UsbBackup /bin/sh", "seq 1 200");
    box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", "tcp://127.0.0.1:" + closed));
    box.awaitMonitorsGone();
    List<String> kept = Files.readAllLines(box.fallback);
    long pid = box.monitors().getFirst();
    assertThat(kept.stream().filter(l -> l.matches(".* nocollector\\[" + pid + "\\]: \\d+"))).hasSize(200);
    assertThat(kept.getLast()).endsWith("nocollector[" + pid + "]: JOB Status 0");
  }
}
