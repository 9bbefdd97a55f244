package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.proc.ProcStat;

/**
 * Monitors that die in the middle of an exit, jobs stopped while they wait for another job's
 * exit, and a PREP that leaves a daemon for POST to end. The exit logs "begin" and "end" to
 * {@code runs} and marks itself busy: a second exit of the resource that starts while the first
 * runs leaves an OVERLAP line.
 */
class ExitSafetyIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit(
        "UsbBackup",
        """
        [ -e "$SANDBOX/busy" ] && echo "OVERLAP $1" >> "$SANDBOX/runs"
        touch "$SANDBOX/busy"
        echo "$1 begin" >> "$SANDBOX/runs"
        echo "$1 running"
        while [ -e "$SANDBOX/slow$1" ] && [ ! -e "$SANDBOX/gate$1" ]; do sleep 0.05; done
        rm -f "$SANDBOX/busy"
        echo "$1 end" >> "$SANDBOX/runs"
        """);
  }

  private List<String> runs() throws Exception {
    return Files.exists(tmp.resolve("runs")) ? Files.readAllLines(tmp.resolve("runs")) : List.of();
  }

  private long launch(String name) throws Exception {
    int before = box.monitors().size();
    box.run(List.of(box.script(name, "UsbBackup", "echo " + name + " ran").toString()));
    return box.monitors().get(before);
  }

  private void killMonitorAlone(long pid) throws Exception {
    ProcessHandle monitor = ProcessHandle.of(pid).orElseThrow();
    monitor.destroyForcibly();
    monitor.onExit().get(10, TimeUnit.SECONDS);
  }

  @Test
  void aMonitorKilledDuringASlowPrepLeavesItsExitRunningAndTheNextJobWaitsThenPreparesAgain() throws Exception {
    Files.createFile(tmp.resolve("slowPREP"));
    long first = launch("first");
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("PREP UsbBackup: PREP running")));
    killMonitorAlone(first);
    long second = launch("second");
    box.await(l -> l.stream().anyMatch(x -> x.contains("WARNING UsbBackup: the PREP exit of cron.daily/first[" + first + "]")
        && x.endsWith("runs on after its monitor died; waiting for it to end")));
    assertThat(runs()).containsExactly("PREP begin");
    Files.createFile(tmp.resolve("gatePREP"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines)
        .contains("second[" + second + "]: second ran", "second[" + second + "]: JOB Status 0")
        .anyMatch(l -> l.endsWith("was cut short with its monitor; the resource is taken as not prepared"));
    assertThat(runs()).containsExactly("PREP begin", "PREP end", "PREP begin", "PREP end", "POST begin", "POST end");
  }

  @Test
  void aMonitorKilledDuringASlowPostIsNeverAdoptedTheNextJobPreparesAfterThatPostEnds() throws Exception {
    Files.createFile(tmp.resolve("slowPOST"));
    long first = launch("first");
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("POST UsbBackup: POST running")));
    killMonitorAlone(first);
    long second = launch("second");
    box.await(l -> l.stream().anyMatch(x -> x.contains("the POST exit of cron.daily/first[" + first + "]")));
    assertThat(runs()).containsExactly("PREP begin", "PREP end", "POST begin");
    Files.createFile(tmp.resolve("gatePOST"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines).contains("second[" + second + "]: second ran", "second[" + second + "]: JOB Status 0");
    assertThat(runs())
        .containsExactly("PREP begin", "PREP end", "POST begin", "POST end", "PREP begin", "PREP end", "POST begin", "POST end");
  }

  @Test
  void aTermWhileWaitingForAnotherJobsLongPrepEndsTheWaiterAtOnceAndLeavesTheOtherAlone() throws Exception {
    Files.createFile(tmp.resolve("slowPREP"));
    long first = launch("first");
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("PREP UsbBackup: PREP running")));
    long second = launch("second");
    ResourceIT.await(() -> ResourceIT.waitingForALock(second), "the second job waits for the lock");
    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(second)).start().waitFor();
    // Ended: a zombie too, since init here may reap it late.
    ResourceIT.await(() -> ProcStat.of(second).filter(ProcStat::running).isEmpty(), "the second monitor ends");
    assertThat(System.nanoTime() - sent).as("ended within a second").isLessThan(1_000_000_000L);
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines.stream().filter(l -> l.startsWith("second[")))
        .containsExactly(
            "second[" + second + "]: JOB Begins",
            "second[" + second + "]: SIGNAL TERM received; relaying it to the job's processes",
            "second[" + second + "]: JOB Status 143");
    assertThat(ProcessHandle.of(first)).as("the first job is untouched").isPresent();
    Files.createFile(tmp.resolve("gatePREP"));
    lines = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(lines).contains("first[" + first + "]: first ran", "first[" + first + "]: JOB Status 0");
    assertThat(runs()).containsExactly("PREP begin", "PREP end", "POST begin", "POST end");
  }

  @Test
  void aDaemonLeftByPrepBelongsToTheResourceAndPostStillComesWhenAMonitorWasKilled() throws Exception {
    // PREP starts a daemon (as sshfs would) that lives until POST ends it by its pid file.
    box.exit(
        "UsbBackup",
        """
        echo "$1" >> "$SANDBOX/runs"
        if [ "$1" = PREP ]; then
          sh -c 'while :; do sleep 0.05; done' >/dev/null 2>&1 &
          echo $! > "$SANDBOX/daemon.pid"
        else
          kill "$(cat "$SANDBOX/daemon.pid")"
        fi
        exit 0
        """);
    Path holding = box.script("holding", "UsbBackup", "echo holding; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done");
    box.run(List.of(holding.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("holding")));
    long killed = box.monitors().getFirst();
    long daemon = Long.parseLong(Files.readString(tmp.resolve("daemon.pid")).strip());
    assertThat(ProcStat.of(daemon).orElseThrow().session()).as("the daemon is not in the job's session").isNotEqualTo(killed);
    killMonitorAlone(killed);
    // Jobs come and go: each waits at its end for the killed job's script, none runs POST.
    for (int i = 0; i < 3; i++) {
      long passing = launch("passing" + i);
      box.await(l -> l.stream().anyMatch(x -> x.contains("passing") && x.contains("[" + passing + "]: WARNING UsbBackup: POST waits")));
    }
    assertThat(runs()).as("no POST while the killed job's script runs").containsExactly("PREP");
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(3);
    box.await(l -> runsHave("POST"));
    ProcessHandle.of(daemon).ifPresent(p -> p.onExit().join());
    assertThat(runs()).containsExactly("PREP", "POST");
    assertThat(box.lockFile("UsbBackup")).contains("prepared no").doesNotContain("holder");
  }

  private boolean runsHave(String line) {
    try {
      return runs().contains(line);
    } catch (Exception e) {
      return false;
    }
  }
}
