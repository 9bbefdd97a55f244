package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.DatagramDaemon;

/**
 * A syslog daemon that is alive but never reads its socket (a full disk, a blocked queue): the
 * real monitor must neither stall the job behind it nor lose a line, and a signal must still stop
 * a job. The daemon is a datagram socket bound by the test and never read.
 */
class StuckSyslogIT extends SandboxTest {
  DatagramDaemon stuck;
  Path socket;

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
    socket = tmp.resolve("stuck.sock");
    stuck = new DatagramDaemon(socket);
  }

  @AfterEach
  void tearDown() throws Exception {
    stuck.close();
  }

  Map<String, String> toStuckDaemon() {
    return Map.of("RMONITOR_LOG", "unix:" + socket);
  }

  List<String> fallback() throws Exception {
    return Files.exists(box.fallback) ? Files.readAllLines(box.fallback) : List.of();
  }

  @Test
  void aScriptOf20000LinesEndsWithinSecondsAndEveryLineIsInTheFallbackFile() throws Exception {
    Path s = box.script("chatty", "UsbBackup /bin/sh", "seq 1 20000");
    long start = System.nanoTime();
    box.run(List.of(s.toString()), toStuckDaemon());
    box.awaitMonitorsGone();
    Duration took = Duration.ofNanos(System.nanoTime() - start);
    // One line waited 2 s for the daemon; everything after went to the file at once.
    assertThat(took).isLessThan(Duration.ofSeconds(20));

    long pid = box.monitors().getFirst();
    List<String> kept = fallback();
    assertThat(kept).filteredOn(l -> l.contains("WARNING")).hasSize(1);
    assertThat(kept.getFirst())
        .endsWith("chatty[" + pid + "]: WARNING log unix:" + socket + " took no line within 2 s (a daemon that stopped"
            + " reading: full disk, blocked queue?); lines go to " + box.fallback + " until it takes them again");
    Set<String> seen = new HashSet<>();
    for (String l : kept) seen.add(l.replaceFirst(".* chatty\\[\\d+\\]: ", ""));
    for (String d : stuck.read()) seen.add(d.replaceFirst(".* chatty\\[\\d+\\]: ", ""));
    assertThat(seen).containsAll(IntStream.rangeClosed(1, 20000).mapToObj(Integer::toString).toList());
    assertThat(kept.getLast()).endsWith("chatty[" + pid + "]: JOB Status 0");
  }

  /**
   * A job that keeps writing while the daemon is stuck still stops on kill -TERM: the relay is not
   * held up behind the log, and the job ends well within its grace.
   */
  @Test
  void killTermStillEndsAJobWithinItsGrace() throws Exception {
    Path s = box.script("ticking", "--grace 5 UsbBackup /bin/sh", "while :; do echo tick; sleep 0.01; done");
    box.run(List.of(s.toString()), toStuckDaemon());
    long pid = box.monitors().getFirst();
    ResourceIT.await(() -> fallbackHas("ticking[" + pid + "]: tick"), "the job ticks into the fallback file");

    long start = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor(5, TimeUnit.SECONDS);
    ProcessHandle.of(pid).ifPresent(p -> p.onExit().orTimeout(15, TimeUnit.SECONDS).join());
    assertThat(Duration.ofNanos(System.nanoTime() - start)).isLessThan(Duration.ofSeconds(5));

    List<String> kept = fallback();
    assertThat(kept).anyMatch(l -> l.endsWith("ticking[" + pid + "]: SIGNAL TERM received; relaying it to the job's processes"));
    assertThat(kept.getLast()).endsWith("ticking[" + pid + "]: JOB Status 143");
  }

  private boolean fallbackHas(String end) {
    try {
      return fallback().stream().anyMatch(l -> l.endsWith(end));
    } catch (Exception e) {
      return false;
    }
  }
}
