package org.rmonitor.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.proc.BoundedRun.Outcome;

/** Real programs on the other end of the pipe: one that reads, one that fails, one that hangs. */
@Timeout(30)
class BoundedRunTest {
  @TempDir Path tmp;

  static Outcome sh(String script, Map<String, String> env, String input, Duration bound) throws InterruptedException {
    return BoundedRun.run(List.of("/bin/sh", "-c", script), env, input.getBytes(StandardCharsets.UTF_8), bound);
  }

  @Test
  void theProgramGetsTheInputAndTheEnvironment() throws Exception {
    Path got = tmp.resolve("got");
    String big = "line\n".repeat(50_000); // more than a pipe holds
    Outcome o = sh("printf '%s\\n' \"$WHO\" > \"$OUT\"; cat >> \"$OUT\"", Map.of("WHO", "notify", "OUT", got.toString()), big, Duration.ofSeconds(10));
    assertThat(o).isEqualTo(new Outcome.Exited(0, ""));
    assertThat(Files.readString(got)).isEqualTo("notify\n" + big);
  }

  @Test
  void aFailureKeepsItsStatusAndFirstLineOfOutput() throws Exception {
    Outcome o = sh("echo; echo 'sendmail: no recipients\\there' >&2; echo more; exit 75", Map.of(), "", Duration.ofSeconds(10));
    assertThat(o).isEqualTo(new Outcome.Exited(75, "sendmail: no recipients\\x09here"));
  }

  @Test
  void aProgramThatHangsIsKilledWithWhatItStartedAfterTheBound() throws Exception {
    Path pid = tmp.resolve("child.pid");
    long start = System.nanoTime();
    Outcome o = sh("sleep 600 & echo $! > \"$PIDFILE\"; wait", Map.of("PIDFILE", pid.toString()), "", Duration.ofMillis(500));
    assertThat(o).isEqualTo(new Outcome.Killed(Duration.ofMillis(500)));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
    long child = Long.parseLong(Files.readString(pid).strip());
    ProcessHandle.of(child).ifPresent(p -> p.onExit().join());
    assertThat(ProcessHandle.of(child).map(ProcessHandle::isAlive)).isNotEqualTo(java.util.Optional.of(true));
  }

  @Test
  void aProgramThatReadsNothingDoesNotBlockTheCaller() throws Exception {
    Outcome o = sh("exit 3", Map.of(), "x".repeat(1 << 20), Duration.ofSeconds(10));
    assertThat(o).isEqualTo(new Outcome.Exited(3, ""));
  }

  @Test
  void aBackgroundProcessHoldingItsOutputIsNotWaitedFor() throws Exception {
    // As a mail server's sendmail may leave its delivery process behind, holding the pipe.
    long start = System.nanoTime();
    Outcome o = sh("sleep 20 & echo queued", Map.of(), "", Duration.ofSeconds(10));
    assertThat(o).isEqualTo(new Outcome.Exited(0, "queued"));
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));
  }

  @Test
  void aProgramThatCannotBeStartedSaysWhy() throws Exception {
    Outcome o = BoundedRun.run(List.of(tmp.resolve("missing").toString()), Map.of(), new byte[0], Duration.ofSeconds(1));
    assertThat(o).isEqualTo(new Outcome.NotStarted("No such file or directory"));
  }
}
