package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(30)
class TrainingDaemonTest {
  @TempDir Path tmp;

  @Test
  void theTrainingJobsSyslogSocketTakesMoreLinesThanAnUnreadQueueHolds() throws Exception {
    Path path = tmp.resolve("log.sock");
    TrainingDaemon.listen(new Destination(Destination.Kind.UNIX, path.toString()));
    SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
    Instant t = Instant.now();
    FileSink fallback = new FileSink(tmp.resolve("fallback"), format, "host");
    try (SocketSink sink = new SocketSink(new Destination(Destination.Kind.UNIX, path.toString()), format, fallback, Duration.ofSeconds(2), m -> new LogRecord(t, Severity.WARNING, "job[1]", m))) {
      // net.unix.max_dgram_qlen is 10 by default: without a reader, the eleventh send would wait.
      for (int i = 0; i < 200; i++) sink.send(new LogRecord(t, Severity.INFO, "job[1]", "line " + i));
    }
    assertThat(tmp.resolve("fallback")).as("every line went to the socket").doesNotExist();
    assertThat(Files.readString(tmp.resolve("log.sock.file"))).as("the file sink's path trained too").endsWith(" Training[1]: a line\n");
  }

  @Test
  void somethingAlreadyThereIsLeftAlone() throws Exception {
    Path path = Files.writeString(tmp.resolve("log.sock"), "not a socket");
    TrainingDaemon.listen(new Destination(Destination.Kind.UNIX, path.toString()));
    assertThat(Files.readString(path)).isEqualTo("not a socket");
    assertThat(tmp.resolve("log.sock.file")).doesNotExist();
    TrainingDaemon.listen(new Destination(Destination.Kind.FILE, tmp.resolve("f").toString()));
    assertThat(tmp.resolve("f")).doesNotExist();
  }
}
