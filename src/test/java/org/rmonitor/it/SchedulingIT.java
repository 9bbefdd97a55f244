package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.proc.ProcStat;

/**
 * The monitor's threads run under SCHED_BATCH; its exits, its job, the job's children and its
 * --notify program run under the policy and nice value the monitor was started with, read from
 * /proc by each of them.
 */
class SchedulingIT extends SandboxTest {
  private static final int SCHED_OTHER = 0, SCHED_BATCH = 3, SCHED_IDLE = 5;

  /** sh's own /proc stat: field 19 is the nice value, 41 the policy (its comm has no space). */
  private static final String SHOW = "echo \"$1 policy $(cut -d' ' -f41 /proc/$$/stat) nice $(cut -d' ' -f19 /proc/$$/stat)\"";

  private Path notify;

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", SHOW);
    notify = Sandbox.executable(tmp.resolve("notify"), "#!/bin/sh\nset -- notify\n" + SHOW + " > \"$SANDBOX/notify.out\"\n");
  }

  @Test
  void underSchedOtherTheMonitorRunsBatchAndWhatItStartsDoesNot() throws Exception {
    assertPolicies(List.of(), SCHED_BATCH, SCHED_OTHER, 0);
  }

  @Test
  void theNiceValueIsKeptByTheMonitorAndWhatItStarts() throws Exception {
    assertPolicies(List.of("nice", "-n", "7"), SCHED_BATCH, SCHED_OTHER, 7);
  }

  @Test
  void aMonitorStartedUnderAnotherPolicyKeepsItForItselfAndItsJob() throws Exception {
    assertPolicies(List.of("chrt", "--idle", "0"), SCHED_IDLE, SCHED_IDLE, 0);
  }

  private void assertPolicies(List<String> prefix, int monitor, int children, int nice) throws Exception {
    Path s =
        box.script(
            "policies",
            "--notify=" + notify + " UsbBackup /bin/sh",
            "sh -c 'set -- child; " + SHOW.replace("'", "'\\''") + "'\n"
                + "set -- script\n"
                + SHOW + "\n"
                + "while [ ! -e \"$SANDBOX/go\" ]; do sleep 0.05; done\n");
    List<String> command = new ArrayList<>(prefix);
    command.add(s.toString());
    Sandbox.Result r = box.run(command);
    assertThat(r.status()).as(r.stderr()).isZero();
    long pid = box.monitors().getFirst();
    box.await(lines -> lines.stream().anyMatch(l -> l.endsWith(": script policy " + children + " nice " + nice)));

    // While the job runs: the monitor's own thread and its carriers, which send the job's lines.
    List<Task> tasks = tasks(pid);
    assertThat(tasks).filteredOn(t -> t.tid == pid).singleElement().extracting(Task::policy).isEqualTo(monitor);
    assertThat(tasks).filteredOn(t -> t.name.startsWith("ForkJoinPool")).isNotEmpty().allSatisfy(t -> {
      assertThat(t.policy).as(t.name).isEqualTo(monitor);
      assertThat(t.nice).as(t.name).isEqualTo(nice);
    });

    Files.createFile(tmp.resolve("go"));
    box.awaitJobsEnded(1);
    box.awaitMonitorsGone();
    List<String> lines = Sandbox.tagged(box.syslog.lines());
    String me = "policies[" + pid + "]: ";
    String shown = " policy " + children + " nice " + nice;
    assertThat(lines)
        .contains(
            me + "PREP UsbBackup: PREP" + shown,
            me + "child" + shown,
            me + "script" + shown,
            me + "POST UsbBackup: POST" + shown,
            me + "JOB Status 0");
    assertThat(Files.readString(tmp.resolve("notify.out"))).isEqualTo("notify" + shown + "\n");
  }

  private record Task(long tid, String name, int policy, int nice) {}

  /** The threads of process {@code pid}, from /proc/PID/task/TID/stat. */
  private static List<Task> tasks(long pid) throws IOException {
    List<Task> tasks = new ArrayList<>();
    try (Stream<Path> dirs = Files.list(Path.of("/proc/" + pid + "/task"))) {
      for (Path dir : dirs.toList()) {
        String stat = Files.readString(dir.resolve("stat"));
        String[] f = ProcStat.fields(stat);
        tasks.add(new Task(
            Long.parseLong(dir.getFileName().toString()),
            stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')')),
            Integer.parseInt(f[41 - 3]),
            Integer.parseInt(f[19 - 3])));
      }
    }
    return tasks;
  }
}
