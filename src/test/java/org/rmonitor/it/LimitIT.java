package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.proc.ProcStat;

/**
 * {@code UsbBackup.conf} with {@code limit=1}: unrelated scripts launched back to back take turns.
 * Each script waits for its gate file, then marks the disk busy while it "works": a script that
 * starts while another one works leaves an OVERLAP line in {@code runs}.
 */
class LimitIT extends SandboxTest {
  private static final Pattern PREP = Pattern.compile("PREP UsbBackup: EXIT Begins$");
  private static final Pattern POST = Pattern.compile("POST UsbBackup: EXIT Begins$");

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "echo \"$1\" >> \"$SANDBOX/runs\"");
    conf("# one backup at a time on the USB disk\nlimit=1\n");
  }

  private Path conf(String text) throws Exception {
    return box.conf("UsbBackup", text);
  }

  /** DiskAAAA and DiskBBBB, each one job at a time, their exits logging to {@code runs}. */
  private void twoLimitedDisks() throws Exception {
    for (String r : List.of("DiskAAAA", "DiskBBBB")) {
      box.exit(r, "echo \"$1 " + r + "\" >> \"$SANDBOX/runs\"");
      box.conf(r, "limit=1\n");
    }
  }

  private Path backup(String name) throws Exception {
    return box.script(
        name,
        "UsbBackup",
        "while [ ! -e \"$SANDBOX/gate." + name + "\" ]; do sleep 0.05; done\n"
            + "[ -e \"$SANDBOX/busy\" ] && echo \"OVERLAP " + name + "\" >> \"$SANDBOX/runs\"\n"
            + "touch \"$SANDBOX/busy\"; echo \"" + name + " begin\" >> \"$SANDBOX/runs\"\n"
            + "sleep 0.2 # the backup's work\n"
            + "rm -f \"$SANDBOX/busy\"; echo \"" + name + " end\" >> \"$SANDBOX/runs\"");
  }

  private long launch(String name) throws Exception {
    int before = box.monitors().size();
    Sandbox.Result r = box.run(List.of(backup(name).toString()));
    assertThat(r.status()).as(r.stderr()).isZero();
    return box.monitors().get(before);
  }

  private List<String> runs() throws Exception {
    return Files.exists(tmp.resolve("runs")) ? Files.readAllLines(tmp.resolve("runs")) : List.of();
  }

  private void awaitLine(String line) {
    box.await(l -> Sandbox.tagged(l).contains(line));
  }

  /** Jobs one, two and three, launched in that order: one runs, two and three wait in line. */
  private long[] oneRunningTwoInLine() throws Exception {
    long one = launch("one");
    awaitLine("one[" + one + "]: PROCESSING Begins");
    long two = launch("two");
    awaitLine("two[" + two + "]: LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    long three = launch("three");
    awaitLine("three[" + three + "]: LIMIT UsbBackup: waiting, 1 job(s) running, 1 waiting ahead (limit 1)");
    return new long[] {one, two, three};
  }

  private void open(String name) throws Exception {
    Files.createFile(tmp.resolve("gate." + name));
  }

  @Test
  void threeUnrelatedScriptsTakeTurnsWithOnePrepAndOnePostAndStatusShowsWhoRunsAndWhoWaits() throws Exception {
    long[] pids = oneRunningTwoInLine();
    long one = pids[0];
    long two = pids[1];
    long three = pids[2];

    Sandbox.Result status = box.run(List.of(Sandbox.RMONITOR.toString(), "status"));
    assertThat(status.status()).as(status.stderr()).isZero();
    List<String> out = status.stdout().lines().toList();
    assertThat(out)
        .anyMatch(l -> l.matches("  " + one + " +cron\\.daily/one +PROCESSING +since .*  UsbBackup"))
        .anyMatch(l -> l.matches("  " + two + " +cron\\.daily/two +waiting for UsbBackup +since .*  UsbBackup"))
        .anyMatch(l -> l.matches("  " + three + " +cron\\.daily/three +waiting for UsbBackup +since .*  UsbBackup"))
        .anyMatch(l -> l.matches("  UsbBackup +prepared, limit 1, held by:"));
    int line = out.indexOf("    waiting for their turn, first first:");
    assertThat(line).as(status.stdout()).isPositive();
    assertThat(out.get(line - 1)).matches("      cron\\.daily/one\\[" + one + "\\] since \\S+");
    assertThat(out.get(line + 1)).matches("      cron\\.daily/two\\[" + two + "\\] since \\S+");
    assertThat(out.get(line + 2)).matches("      cron\\.daily/three\\[" + three + "\\] since \\S+");

    // Every gate open: each script runs as soon as it has its turn.
    open("one");
    open("two");
    open("three");
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(3));
    assertThat(runs())
        .as("one at a time, in the order they came")
        .containsExactly("PREP", "one begin", "one end", "two begin", "two end", "three begin", "three end", "POST");
    assertThat(Sandbox.count(lines, PREP)).isEqualTo(1);
    assertThat(Sandbox.count(lines, POST)).isEqualTo(1);
    assertThat(lines)
        .anyMatch(l -> l.matches("two\\[" + two + "\\]: LIMIT UsbBackup: turn after \\d+s"))
        .anyMatch(l -> l.matches("three\\[" + three + "\\]: LIMIT UsbBackup: turn after \\d+s"))
        .contains("one[" + one + "]: JOB Status 0", "two[" + two + "]: JOB Status 0", "three[" + three + "]: JOB Status 0")
        .noneMatch(l -> l.startsWith("one[") && l.contains("LIMIT"))
        .noneMatch(l -> l.contains("WARNING"));
    assertThat(box.lockFile("UsbBackup")).contains("prepared no").doesNotContain("holder").doesNotContain("waiter");
  }

  @Test
  void aTermToAQueuedJobEndsItAtOnceAndLeavesTheOthersAlone() throws Exception {
    long[] pids = oneRunningTwoInLine();
    long one = pids[0];
    long two = pids[1];
    long three = pids[2];

    long sent = System.nanoTime();
    new ProcessBuilder("kill", "-TERM", Long.toString(two)).start().waitFor();
    // Ended: a zombie too, since init here may reap it late.
    ResourceIT.await(() -> ProcStat.of(two).filter(ProcStat::running).isEmpty(), "the queued monitor ends");
    assertThat(System.nanoTime() - sent).as("ended within a second").isLessThan(1_000_000_000L);
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines.stream().filter(l -> l.startsWith("two[")))
        .containsExactly(
            "two[" + two + "]: JOB Begins",
            "two[" + two + "]: LIMIT UsbBackup: waiting, 1 job(s) running, 0 waiting ahead (limit 1)",
            "two[" + two + "]: SIGNAL TERM received; relaying it to the job's processes",
            "two[" + two + "]: JOB Status 143");
    assertThat(box.lockFile("UsbBackup")).doesNotContain("pid=" + two + " ").contains("waiter pid=" + three + " ");

    open("one");
    open("three");
    lines = Sandbox.tagged(box.awaitJobsEnded(3));
    assertThat(runs()).containsExactly("PREP", "one begin", "one end", "three begin", "three end", "POST");
    assertThat(lines)
        .contains("one[" + one + "]: JOB Status 0", "three[" + three + "]: JOB Status 0")
        .anyMatch(l -> l.matches("three\\[" + three + "\\]: LIMIT UsbBackup: turn after \\d+s"))
        .noneMatch(l -> l.contains("WARNING"));
  }

  /**
   * Two jobs listing two limited resources in opposite orders, launched at the same moment, 100
   * times: each takes its turns in the order of the names, so neither holds one while it waits
   * for the other. Taken in listed order, each could PREP its first and wait for the other's all
   * night (seen: both "waiting", forever). Each still PREPs in its listed order and POSTs in
   * reverse, and the two never run at once.
   */
  @Test
  void jobsListingTwoLimitedResourcesInOppositeOrdersNeverWaitForEachOther() throws Exception {
    twoLimitedDisks();
    String work = "echo \"$0 begin\" >> \"$SANDBOX/runs\"; echo \"$0 end\" >> \"$SANDBOX/runs\"";
    Path ab = box.script("ab", "-L DiskAAAA,DiskBBBB /bin/sh", work);
    Path ba = box.script("ba", "-L DiskBBBB,DiskAAAA /bin/sh", work);
    int rounds = 100;
    for (int round = 1; round <= rounds; round++) {
      java.util.concurrent.CompletableFuture<Sandbox.Result> first =
          java.util.concurrent.CompletableFuture.supplyAsync(() -> run(ab));
      Sandbox.Result second = run(ba);
      assertThat(first.get().status()).isZero();
      assertThat(second.status()).isZero();
      box.awaitJobsEnded(2 * round);
    }
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2 * rounds));
    assertThat(Sandbox.count(lines, Pattern.compile(": JOB Status 0$"))).isEqualTo(2L * rounds);
    assertThat(lines).noneMatch(l -> l.contains("WARNING") || l.contains("ERROR"));
    // Per job: PREP in its listed order, POST in reverse, as without limits.
    for (long pid : box.monitors()) {
      List<String> exits = lines.stream()
          .filter(l -> l.startsWith("rmonitor: ab[" + pid + "]: ") || l.startsWith("rmonitor: ba[" + pid + "]: "))
          .filter(l -> l.endsWith(": EXIT Begins"))
          .map(l -> l.replaceFirst(".*\\]: ", ""))
          .toList();
      boolean isAb = lines.stream().anyMatch(l -> l.startsWith("rmonitor: ab[" + pid + "]: "));
      List<String> order = isAb ? List.of("DiskAAAA", "DiskBBBB") : List.of("DiskBBBB", "DiskAAAA");
      List<String> preps = exits.stream().filter(l -> l.startsWith("PREP ")).toList();
      List<String> posts = exits.stream().filter(l -> l.startsWith("POST ")).toList();
      assertThat(preps).as("job " + pid).isSubsetOf("PREP " + order.get(0) + ": EXIT Begins", "PREP " + order.get(1) + ": EXIT Begins");
      if (preps.size() == 2) assertThat(preps).containsExactly("PREP " + order.get(0) + ": EXIT Begins", "PREP " + order.get(1) + ": EXIT Begins");
      if (posts.size() == 2) assertThat(posts).containsExactly("POST " + order.get(1) + ": EXIT Begins", "POST " + order.get(0) + ": EXIT Begins");
    }
    // One job at a time: a begin is always followed by its own end.
    List<String> runs = runs().stream().filter(l -> l.endsWith(" begin") || l.endsWith(" end")).toList();
    for (int i = 0; i < runs.size(); i += 2) {
      assertThat(runs.get(i + 1)).isEqualTo(runs.get(i).replace(" begin", " end"));
    }
    for (String r : List.of("DiskAAAA", "DiskBBBB")) {
      assertThat(box.lockFile(r)).contains("prepared no").doesNotContain("holder").doesNotContain("waiter");
    }
  }

  /**
   * A TERM to a job that took its turn at one limited resource and waits for its turn at a
   * second: it gives the first turn back at once, unprepared, so the job waiting for that one
   * runs; it PREPs nothing and ends with 143.
   */
  @Test
  void aTermWhileWaitingForASecondTurnGivesTheFirstBack() throws Exception {
    twoLimitedDisks();
    Path holder = box.script("holder", "DiskBBBB", "while [ ! -e \"$SANDBOX/gate.holder\" ]; do sleep 0.05; done");
    Path both = box.script("both", "DiskAAAA,DiskBBBB", "echo must not run");
    Path first = box.script("first", "DiskAAAA", "echo first ran");
    box.run(List.of(holder.toString()));
    long h = box.monitors().get(0);
    awaitLine("holder[" + h + "]: PROCESSING Begins");
    box.run(List.of(both.toString()));
    long b = box.monitors().get(1);
    awaitLine("both[" + b + "]: LIMIT DiskBBBB: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    box.run(List.of(first.toString()));
    long f = box.monitors().get(2);
    awaitLine("first[" + f + "]: LIMIT DiskAAAA: waiting, 1 job(s) running, 0 waiting ahead (limit 1)");
    Sandbox.Result status = box.run(List.of(Sandbox.RMONITOR.toString(), "status"));
    List<String> out = status.stdout().lines().toList();
    int turn = out.indexOf(out.stream().filter(l -> l.startsWith("  DiskAAAA ")).findFirst().orElseThrow());
    assertThat(out.get(turn)).as(status.stdout()).matches("  DiskAAAA +not prepared, limit 1, held \\(PREP to come\\) by:");
    assertThat(out.get(turn + 1)).matches("      cron\\.daily/both\\[" + b + "\\] since \\S+");
    assertThat(out).anyMatch(l -> l.matches("  " + b + " +cron\\.daily/both +waiting for DiskBBBB +since .*  DiskAAAA,DiskBBBB"));

    new ProcessBuilder("kill", "-TERM", Long.toString(b)).start().waitFor();
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(lines.stream().filter(l -> l.startsWith("both[")))
        .containsExactly(
            "both[" + b + "]: JOB Begins",
            "both[" + b + "]: LIMIT DiskBBBB: waiting, 1 job(s) running, 0 waiting ahead (limit 1)",
            "both[" + b + "]: SIGNAL TERM received; relaying it to the job's processes",
            "both[" + b + "]: JOB Status 143");
    assertThat(lines)
        .contains("first[" + f + "]: first ran", "first[" + f + "]: JOB Status 0")
        .anyMatch(l -> l.matches("first\\[" + f + "\\]: LIMIT DiskAAAA: turn after \\d+s"))
        .noneMatch(l -> l.contains("WARNING"));
    open("holder");
    box.awaitJobsEnded(3);
    assertThat(runs()).containsExactly("PREP DiskBBBB", "PREP DiskAAAA", "POST DiskAAAA", "POST DiskBBBB");
  }

  /**
   * A settings file broken after the launch, while the job waited (here for an earlier run of
   * its script): one ERROR line naming the file and the line, JOB Status 78, and no PREP of any
   * resource, not even of the one listed first without a limit.
   */
  @Test
  void aConfBrokenAfterTheLaunchIsOneErrorAndNoPrepAtAll() throws Exception {
    box.exit("DiskAAAA", "echo \"$1 DiskAAAA\" >> \"$SANDBOX/runs\"");
    Path s = box.script("twice", "--overlap=wait DiskAAAA,UsbBackup",
        "[ \"$1\" = 1 ] && while [ ! -e \"$SANDBOX/gate.first\" ]; do sleep 0.05; done; exit 0");
    box.run(List.of(s.toString(), "1"));
    long first = box.monitors().get(0);
    awaitLine("twice[" + first + "]: PROCESSING Begins");
    box.run(List.of(s.toString(), "2"));
    long second = box.monitors().get(1);
    awaitLine("twice[" + second + "]: OVERLAP waiting: cron.daily/twice is still running as monitor " + first);
    Path conf = conf("limit=1\nlimit=2\n");
    open("first");
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(lines.stream().filter(l -> l.startsWith("twice[" + second + "]")))
        .containsExactly(
            "twice[" + second + "]: JOB Begins",
            "twice[" + second + "]: OVERLAP waiting: cron.daily/twice is still running as monitor " + first,
            "twice[" + second + "]: ERROR settings of resource UsbBackup: " + conf + " line 2: limit is set twice (first on line 1)",
            "twice[" + second + "]: JOB Status 78");
    assertThat(runs()).containsExactly("PREP DiskAAAA", "PREP", "POST", "POST DiskAAAA");
  }

  private Sandbox.Result run(Path script) {
    try {
      return box.run(List.of(script.toString()));
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void aMalformedConfIsRefusedAtLaunchNamingFileAndLineAndNothingStarts() throws Exception {
    Path conf = conf("limit=1\nlimit=2\n");
    Sandbox.Result r = box.run(List.of(backup("one").toString()));
    assertThat(r.status()).isEqualTo(78);
    assertThat(r.stderr())
        .isEqualTo("rmonitor: settings of resource UsbBackup: " + conf + " line 2: limit is set twice (first on line 1)\n");
    conf("limit=0\n");
    r = box.run(List.of(backup("one").toString()));
    assertThat(r.status()).isEqualTo(78);
    assertThat(r.stderr()).isEqualTo(
        "rmonitor: settings of resource UsbBackup: " + conf + " line 1: limit must be a whole number from 1 to 999, not \"0\"\n");
    assertThat(box.monitors()).isEmpty();
    assertThat(runs()).isEmpty();
  }

  @Test
  void aConfOthersCanWriteIsRefusedAtLaunch() throws Exception {
    Path conf = conf("limit=1\n");
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
    Sandbox.Result r = box.run(List.of(backup("one").toString()));
    assertThat(r.status()).isEqualTo(78);
    assertThat(r.stderr())
        .isEqualTo("rmonitor: settings of resource UsbBackup: " + conf + ": " + conf + " is writable by others (mode 666)\n");
    assertThat(box.monitors()).isEmpty();
  }
}
