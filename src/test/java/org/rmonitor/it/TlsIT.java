package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.TcpCollector;
import org.rmonitor.log.TestCa;

/**
 * A TLS collector with a private CA made for the test: rsyslog's imtcp with its gnutls driver
 * when rsyslog-gnutls is installed, else a JDK TLS server that parses every frame strictly.
 */
class TlsIT extends SandboxTest {
  static final Path GTLS = Path.of("/usr/lib/x86_64-linux-gnu/rsyslog/lmnsd_gtls.so");

  TestCa ca;
  int port;
  boolean rsyslogTls;

  @Override
  String extraSyslogInputs() throws Exception {
    ca = TestCa.create(tmp.resolve("ca"));
    rsyslogTls = Files.exists(GTLS);
    if (!rsyslogTls) return "";
    try (ServerSocket s = new ServerSocket(0)) {
      port = s.getLocalPort();
    }
    return """
        global(DefaultNetstreamDriverCAFile="%s" DefaultNetstreamDriverCertFile="%s" DefaultNetstreamDriverKeyFile="%s")
        module(load="imtcp" StreamDriver.Name="gtls" StreamDriver.Mode="1" StreamDriver.AuthMode="anon")
        input(type="imtcp" address="127.0.0.1" port="%d")
        """.formatted(ca.ca, ca.cert, ca.key, port);
  }

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
    if (rsyslogTls) ResourceIT.await(() -> RemoteIT.listening("tcp", port), "rsyslogd listens for TLS");
  }

  @Test
  void aCollectorWithAPrivateCaGetsEveryLineAndNothingElse() throws Exception {
    Path s = box.script("secure", "UsbBackup /bin/sh", "echo over tls; echo 'and an error' >&2");
    if (rsyslogTls) {
      Sandbox.Result r =
          box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", "tls://127.0.0.1:" + port, "RMONITOR_TLS_CA", ca.ca.toString()));
      assertThat(r.stderr()).doesNotContain("WARNING");
      long pid = box.monitors().getFirst();
      box.await(l -> l.stream().anyMatch(x -> x.endsWith("secure[" + pid + "] JOB Status 0"))); // RFC 5424: no colon
      assertThat(box.syslog.detailLines())
          .contains("local1.info secure[" + pid + "] over tls", "local1.err secure[" + pid + "] and an error")
          .allMatch(l -> l.startsWith("local1."));
    } else {
      try (TcpCollector collector = TcpCollector.tls(ca.serverContext(), false)) {
        Sandbox.Result r =
            box.run(
                List.of(s.toString()),
                Map.of("RMONITOR_LOG", "tls://127.0.0.1:" + collector.port(), "RMONITOR_TLS_CA", ca.ca.toString()));
        assertThat(r.stderr()).doesNotContain("WARNING");
        List<String> got = collector.await(m -> !m.isEmpty() && m.getLast().endsWith("JOB Status 0"), Sandbox.TIMEOUT);
        assertThat(got).anyMatch(m -> m.endsWith(" - - over tls"));
        assertThat(collector.errors()).isEmpty();
      }
    }
    // It may exist (the monitor's stderr goes there), but no line had to go there.
    assertThat(Files.exists(box.fallback) ? Files.readAllLines(box.fallback) : List.of()).isEmpty();
  }

  /** A certificate not signed by a trusted CA: one line in cron's mail, one WARNING, no line lost. */
  @Test
  void anUntrustedCollectorIsOneLineOnStderrAndOneWarningInTheFallbackFile() throws Exception {
    try (TcpCollector jdk = rsyslogTls ? null : TcpCollector.tls(ca.serverContext(), false)) {
      String to = "tls://127.0.0.1:" + (rsyslogTls ? port : jdk.port());
      Path s = box.script("untrusted", "UsbBackup /bin/sh", "echo kept");
      Sandbox.Result r = box.run(List.of(s.toString()), Map.of("RMONITOR_LOG", to));
      String reason = "cannot be reached: TLS handshake failed: its certificate is not signed by a CA trusted here (see --tls-ca)";
      assertThat(r.stderr())
          .startsWith("rmonitor: WARNING log collector " + to + " " + reason + "; lines go to " + box.fallback
              + " until it can be reached\n");
      box.awaitMonitorsGone();
      long pid = box.monitors().getFirst();
      List<String> kept = Files.readAllLines(box.fallback);
      assertThat(kept.getFirst()).endsWith("untrusted[" + pid + "]: WARNING log " + to + " " + reason + "; lines go to "
          + box.fallback + " until it takes them again");
      assertThat(kept).filteredOn(l -> l.contains("WARNING")).hasSize(1);
      assertThat(kept).anyMatch(l -> l.endsWith("untrusted[" + pid + "]: kept"));
      assertThat(kept.getLast()).endsWith("untrusted[" + pid + "]: JOB Status 0");
    }
  }
}
