package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Two runs of one script at once, under each --overlap policy. */
class OverlapIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
  }

  private Path script(String policy) throws Exception {
    return box.script("twice", "--overlap=" + policy + " UsbBackup",
        "echo \"run $1\"; [ \"$1\" = 1 ] && while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done; exit 0");
  }

  private long startFirst(Path s) throws Exception {
    box.run(List.of(s.toString(), "1"));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(": run 1")));
    return box.monitors().getFirst();
  }

  @Test
  void skipLogsWhyAndRunsNothing() throws Exception {
    Path s = script("skip");
    long first = startFirst(s);
    box.run(List.of(s.toString(), "2"));
    long second = box.monitors().get(1);
    List<String> lines =
        Sandbox.tagged(box.await(l -> l.stream().anyMatch(x -> x.endsWith("twice[" + second + "]: JOB Status 0"))));
    String me = "twice[" + second + "]: ";
    assertThat(lines).containsSubsequence(me + "JOB Begins",
        me + "OVERLAP skipped: cron.daily/twice is still running as monitor " + first, me + "JOB Status 0");
    assertThat(lines).noneMatch(l -> l.startsWith(me + "PROCESSING") || l.startsWith(me + "run 2"));
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(2);
  }

  @Test
  void waitStartsTheSecondRunWhenTheFirstHasEnded() throws Exception {
    Path s = script("wait");
    long first = startFirst(s);
    box.run(List.of(s.toString(), "2"));
    long second = box.monitors().get(1);
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("OVERLAP waiting: cron.daily/twice is still running as monitor " + first)));
    Files.createFile(tmp.resolve("gate"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(lines).containsSubsequence("twice[" + first + "]: JOB Status 0", "twice[" + second + "]: PROCESSING Begins",
        "twice[" + second + "]: run 2", "twice[" + second + "]: JOB Status 0");
  }

  @Test
  void allowRunsBothAtOnce() throws Exception {
    Path s = script("allow");
    startFirst(s);
    box.run(List.of(s.toString(), "2"));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(": run 2")));
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(2);
  }
}
