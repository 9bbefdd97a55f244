package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The monitor owns its children's pipes: a background process that writes after the script has
 * exited is read to the end, logged under the job's tag before PROCESSING Status, and lives on
 * (the JDK's own pipes would be closed under it: lost lines and a SIGPIPE).
 */
class PipeIT extends SandboxTest {
  @Test
  @Timeout(180)
  void aBackgroundWriterAfterTheScriptExitsIsReadToTheEndAndSurvives() throws Exception {
    box.exit("UsbBackup", "exit 0");
    int rounds = 10;
    for (int i = 0; i < rounds; i++) {
      Path s = box.script(
          "late" + i, "UsbBackup",
          "(while [ ! -e \"$SANDBOX/gate" + i + "\" ]; do sleep 0.02; done; echo late; echo late-err >&2; touch \"$SANDBOX/survived" + i + "\") &\necho early");
      box.run(List.of(s.toString()));
      long pid = box.monitors().get(i);
      String me = "late" + i + "[" + pid + "]: ";
      // The WARNING comes when the script ends, while its background writer still holds the pipes.
      box.await(l -> l.stream().anyMatch(x -> x.contains(me + "WARNING PROCESSING: the script ended")));
      Files.createFile(tmp.resolve("gate" + i));
      List<String> lines = Sandbox.tagged(box.awaitJobsEnded(i + 1));
      List<String> mine = lines.stream().filter(l -> l.startsWith(me)).toList();
      assertThat(indexOf(mine, me + "WARNING PROCESSING: the script ended with status 0; waiting for 1 process(es) it left running: "))
          .isGreaterThan(indexOf(mine, me + "early"));
      assertThat(mine).containsSubsequence(me + "late", me + "PROCESSING Status 0", me + "JOB Status 0");
      assertThat(mine).containsSubsequence(me + "late-err", me + "PROCESSING Status 0");
      assertThat(Files.exists(tmp.resolve("survived" + i))).as("the background writer lived on").isTrue();
      assertThat(box.syslog.detailLines()).contains("local1.err " + me + "late-err", "local1.info " + me + "late");
    }
  }

  private static int indexOf(List<String> lines, String prefix) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).startsWith(prefix)) return i;
    throw new AssertionError("no line starting with " + prefix + " in " + lines);
  }

  @Test
  @Timeout(60)
  void anExitsLateLineIsLoggedAndADaemonHoldingItsOutputHoldsUpNothing() throws Exception {
    // PREP leaves a writer that speaks a moment after PREP ends, and a daemon that keeps its
    // stdout open (as a careless "sleep &" would); POST ends the daemon by its pid file.
    box.exit(
        "UsbBackup",
        """
        if [ "$1" = PREP ]; then
          (sleep 0.3; echo late-exit-line) &
          sleep 300 &
          echo $! > "$SANDBOX/daemon.pid"
        else
          kill "$(cat "$SANDBOX/daemon.pid")"
        fi
        exit 0
        """);
    Path s = box.script("careless", "UsbBackup", "echo target ran");
    box.run(List.of(s.toString()));
    long pid = box.monitors().getFirst();
    String me = "careless[" + pid + "]: ";
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines.stream().filter(l -> l.startsWith(me)))
        .containsSubsequence(
            me + "PREP UsbBackup: late-exit-line",
            me + "PREP UsbBackup: WARNING a process left running still holds this output; it is no longer read (2 s after the end)",
            me + "PREP UsbBackup: EXIT Status  0",
            me + "target ran",
            me + "JOB Status 0");
    long daemon = Long.parseLong(Files.readString(tmp.resolve("daemon.pid")).strip());
    ResourceIT.await(() -> org.rmonitor.proc.ProcStat.of(daemon).filter(org.rmonitor.proc.ProcStat::running).isEmpty(), "POST ended the daemon");
  }
}
