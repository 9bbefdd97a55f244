package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A TERM at any moment after "Launched" is printed is honoured: the launcher says "Launched" only
 * once the monitor catches signals, so an early TERM ends the job with SIGNAL and JOB Status
 * lines, never a silent death. Repeated, since one green run of a race proves little.
 */
class EarlySignalIT extends SandboxTest {
  @Test
  @Timeout(240)
  void aTermSoonAfterLaunchIsAlwaysLoggedAndEndsTheJob() throws Exception {
    box.exit("UsbBackup", "echo \"$1\" >> \"$SANDBOX/runs\"");
    Path s = box.script("early", "UsbBackup", "echo target ran");
    int rounds = 20;
    for (int i = 0; i < rounds; i++) {
      box.run(List.of(s.toString()));
      long pid = box.monitors().get(i);
      // 10 ms after the launcher returned in the first rounds, then anywhere in the first 300 ms.
      Thread.sleep(i < 10 ? 10 : ThreadLocalRandom.current().nextInt(300)); // the moment of the signal is the test's input
      new ProcessBuilder("kill", "-TERM", Long.toString(pid)).start().waitFor();
      int n = i + 1;
      List<String> lines = Sandbox.tagged(box.awaitJobsEnded(n));
      String me = "early[" + pid + "]: ";
      List<String> mine = lines.stream().filter(l -> l.startsWith(me) || l.contains("early[" + pid + "] Launched")).toList();
      assertThat(mine).first().asString().endsWith("JOB early[" + pid + "] Launched");
      assertThat(mine).contains(me + "JOB Begins");
      assertThat(mine.getLast()).matches(Pattern.quote(me) + "JOB Status (143|0)");
      if (mine.getLast().endsWith("143")) {
        assertThat(mine).contains(me + "SIGNAL TERM received; relaying it to the job's processes");
      } else {
        // The signal came after the job had ended: it was quicker than the TERM.
        assertThat(mine).contains(me + "target ran");
      }
    }
    // Whatever the moment, PREP and POST paired up: no resource left prepared.
    if (Files.exists(tmp.resolve("runs"))) {
      List<String> runs = Files.readAllLines(tmp.resolve("runs"));
      assertThat(Sandbox.count(runs, Pattern.compile("PREP"))).isEqualTo(Sandbox.count(runs, Pattern.compile("POST")));
    }
    assertThat(box.lockFile("UsbBackup")).contains("prepared no");
  }
}
