package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** kill -TERM (or HUP, INT) of the PID in the log winds the whole job down, POST included. */
class SignalIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "echo \"$1 ran\"; [ \"$1\" = POST ] && [ -e \"$SANDBOX/slowpost\" ] && { echo posting; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done; }; exit 0");
  }

  private long startAndAwait(Path script, String line) throws Exception {
    box.run(List.of(script.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(line)));
    return box.monitors().getFirst();
  }

  private static void kill(String signal, long pid) throws Exception {
    assertThat(new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor()).isZero();
  }

  @Test
  void termIsRelayedToTheWholeJobAndPostStillRuns() throws Exception {
    // The script's child is killed too: the relay reaches every descendant, not just the script.
    Path s =
        box.script(
            "longjob", "UsbBackup /bin/sh",
            "trap 'echo got TERM; exit 7' TERM\nsleep 300 &\necho ready\nwait");
    long pid = startAndAwait(s, "ready");
    kill("TERM", pid);
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    String me = "longjob[" + pid + "]: ";
    assertThat(lines)
        .contains(me + "SIGNAL TERM received; relaying it to the job's processes", me + "got TERM")
        .contains(me + "PROCESSING Status 7", me + "POST UsbBackup: POST ran", me + "JOB Status 7");
    assertThat(lines.indexOf(me + "PROCESSING Status 7")).isLessThan(lines.indexOf(me + "POST UsbBackup: EXIT Begins"));
    box.awaitMonitorsGone();
  }

  @Test
  void hupAndIntAreRelayedAsThemselves() throws Exception {
    for (String sig : List.of("HUP", "INT")) {
      Path s = box.script("sig" + sig, "UsbBackup /bin/bash", "trap 'echo got " + sig + "; exit 0' " + sig + "\necho ready\nwhile :; do sleep 0.05; done");
      box.run(List.of(s.toString()));
      box.await(l -> l.stream().anyMatch(x -> x.endsWith("sig" + sig + "[" + box.monitors().getLast() + "]: ready")));
      kill(sig, box.monitors().getLast());
    }
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(lines).anyMatch(l -> l.endsWith("SIGNAL HUP received; relaying it to the job's processes"))
        .anyMatch(l -> l.endsWith("got HUP"))
        .anyMatch(l -> l.endsWith("SIGNAL INT received; relaying it to the job's processes"))
        .anyMatch(l -> l.endsWith("got INT"));
    // The script handled the signal and exited 0: that is the job's status (SPEC §4).
    assertThat(lines).anyMatch(l -> l.matches("sigHUP\\[\\d+\\]: JOB Status 0"))
        .anyMatch(l -> l.matches("sigINT\\[\\d+\\]: JOB Status 0"));
  }

  @Test
  void whatIgnoresTheSignalIsKilledAfterTheGracePeriod() throws Exception {
    Path s = box.script("stubborn", "--grace 1 UsbBackup /bin/sh", "trap '' TERM\necho ready\nwhile :; do sleep 0.05; done");
    long pid = startAndAwait(s, "ready");
    kill("TERM", pid);
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    String me = "stubborn[" + pid + "]: ";
    assertThat(lines).anyMatch(l -> l.startsWith(me + "SIGNAL KILL sent to ") && l.contains("still running 1 s after the relayed signal"))
        .contains(me + "PROCESSING Status 137", me + "POST UsbBackup: POST ran", me + "JOB Status 137");
  }

  @Test
  void aSignalDuringPostIsLoggedAndNotRelayed() throws Exception {
    Files.createFile(tmp.resolve("slowpost"));
    Path s = box.script("cleanup", "UsbBackup", "echo done");
    long pid = startAndAwait(s, "POST UsbBackup: posting");
    kill("TERM", pid);
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("SIGNAL TERM received during POST; not relayed")));
    Files.createFile(tmp.resolve("gate"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines).contains("cleanup[" + pid + "]: POST UsbBackup: EXIT Status  0", "cleanup[" + pid + "]: JOB Status 0");
  }

  @Test
  void aSignalWhileWaitingForTheLockStartsNoPrepAndNoTarget() throws Exception {
    Path s = box.script("waiting", "UsbBackup", "echo must not run");
    long pid;
    List<String> lines;
    // The lock stays held the whole time: the signalled waiter must end by itself.
    try (var held = org.rmonitor.resource.LockFile.acquire(org.rmonitor.resource.LockFile.pathOf(box.locks, "UsbBackup"))) {
      box.run(List.of(s.toString()));
      pid = box.monitors().getFirst();
      ResourceIT.await(() -> ResourceIT.waitingForALock(pid), "monitor " + pid + " waits for the lock");
      kill("TERM", pid);
      lines = Sandbox.tagged(box.awaitJobsEnded(1));
      ProcessHandle.of(pid).ifPresent(p -> p.onExit().join());
    }
    assertThat(lines).noneMatch(l -> l.contains("EXIT Begins") || l.contains("PROCESSING") || l.contains("must not run"));
    assertThat(lines.getLast()).isEqualTo("waiting[" + pid + "]: JOB Status 143");
    assertThat(box.lockFile("UsbBackup")).doesNotContain("holder");
  }

  @Test
  void aTargetThatOutrunsItsTimeoutIsEndedAsSigtermWouldAndPostRuns() throws Exception {
    Path s = box.script("stuck", "--timeout=1 UsbBackup /bin/sh", "trap 'echo got TERM; exit 9' TERM\necho ready\nwhile :; do sleep 0.05; done");
    box.run(List.of(s.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    long pid = box.monitors().getFirst();
    String me = "stuck[" + pid + "]: ";
    assertThat(lines)
        .containsSubsequence(
            me + "TIMEOUT PROCESSING ran for 1s; ending it as SIGTERM would",
            me + "got TERM",
            me + "PROCESSING Status 9",
            me + "POST UsbBackup: POST ran",
            me + "JOB Status 9");
    assertThat(box.syslog.detailLines()).contains("local1.err " + me + "TIMEOUT PROCESSING ran for 1s; ending it as SIGTERM would");
  }

  @Test
  void aTargetThatEndsInTimeIsNotTouched() throws Exception {
    Path s = box.script("quick", "--timeout=1h UsbBackup /bin/sh", "echo done");
    box.run(List.of(s.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines).noneMatch(l -> l.contains("TIMEOUT") || l.contains("SIGNAL")).last().asString().endsWith("JOB Status 0");
  }
}
