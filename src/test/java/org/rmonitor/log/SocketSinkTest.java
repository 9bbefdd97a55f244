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
      SyslogFormat format = new SyslogFormat(ZoneOffset.UTC);
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
