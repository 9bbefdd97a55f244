package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.resource.Holder;
import org.rmonitor.resource.HolderFile;
import org.rmonitor.resource.LockFile;
import org.rmonitor.proc.ProcStat;

/** Real POSIX locks held by two processes, and holders that died without releasing. */
class ResourceIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "echo \"$1\" >> \"$SANDBOX/runs\"; echo \"$1 done\"");
  }

  /**
   * True while {@code pid} waits for a resource lock: it has a lock file open and no child (a
   * waiter tries the lock again and again, so /proc/locks shows no blocked waiter).
   */
  static boolean waitingForALock(long pid) {
    try (var fds = Files.newDirectoryStream(Path.of("/proc/" + pid + "/fd"))) {
      boolean lockOpen = false;
      for (Path fd : fds) {
        try {
          lockOpen |= Files.readSymbolicLink(fd).getFileName().toString().matches("rmonitor\\..*\\.lock");
        } catch (java.io.IOException e) {
          // closed meanwhile
        }
      }
      return lockOpen && ProcessHandle.of(pid).map(p -> p.children().findAny().isEmpty()).orElse(false);
    } catch (java.io.IOException e) {
      return false;
    }
  }

  static void await(java.util.function.BooleanSupplier condition, String what) throws InterruptedException {
    long deadline = System.nanoTime() + Sandbox.TIMEOUT.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) throw new AssertionError("timed out waiting until " + what);
      Thread.sleep(20); // polling a condition of another process
    }
  }

  @Test
  void aJobWaitsWhileAnotherProcessHoldsTheLock() throws Exception {
    Path s = box.script("waiter", "UsbBackup", "echo ran");
    try (LockFile held = LockFile.acquire(LockFile.pathOf(box.locks, "UsbBackup"))) {
      box.run(List.of(s.toString()));
      long pid = box.monitors().getFirst();
      await(() -> waitingForALock(pid), "monitor " + pid + " waits for the lock");
      assertThat(Sandbox.tagged(box.syslog.lines())).noneMatch(l -> l.contains("PREP"));
    }
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines).anyMatch(l -> l.endsWith("PREP UsbBackup: PREP done")).anyMatch(l -> l.endsWith("JOB Status 0"));
  }

  @Test
  void aHolderThatDiedIsDroppedWithAWarningAndAPreparedResourceIsAdoptedNotPreparedAgain() throws Exception {
    Process gone = new ProcessBuilder("true").start();
    long ticks = ProcStat.of(gone.pid()).map(ProcStat::startTicks).orElse(1L);
    gone.waitFor(10, TimeUnit.SECONDS);
    long me = ProcessHandle.current().pid();
    long myTicks = ProcStat.of(me).orElseThrow().startTicks();
    Files.writeString(
        LockFile.pathOf(box.locks, "UsbBackup"),
        new HolderFile(
                true,
                List.of(
                    new Holder(gone.pid(), ticks, Instant.parse("2026-01-01T04:40:00Z"), "", "", "cron.daily/killed"),
                    new Holder(me, myTicks + 1, Instant.parse("2026-01-01T04:40:01Z"), "", "", "cron.daily/reused")))
            .format("UsbBackup"));

    Path s = box.script("adopter", "UsbBackup", "echo ran");
    box.run(List.of(s.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    assertThat(lines)
        .anyMatch(l -> l.contains("WARNING UsbBackup: holder cron.daily/killed[" + gone.pid() + "] since 2026-01-01T04:40:00Z is gone without releasing"))
        .anyMatch(l -> l.contains("WARNING UsbBackup: holder cron.daily/reused[" + me + "]"))
        .noneMatch(l -> l.contains("PREP UsbBackup"))
        .anyMatch(l -> l.endsWith("POST UsbBackup: POST done"));
    assertThat(Files.readAllLines(tmp.resolve("runs"))).containsExactly("POST");
    assertThat(box.syslog.detailLines()).anyMatch(l -> l.startsWith("local1.warning ") && l.contains("is gone"));
  }

  @Test
  void aMonitorKilledAloneLeavesItsJobHoldingTheResourceUntilItsProcessesEnd() throws Exception {
    // Only the monitor is killed: its script runs on in its session, as after the OOM killer.
    Path first = box.script("first", "UsbBackup", "echo holding; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done; echo script-ended >> \"$SANDBOX/runs\"");
    Path second = box.script("second", "UsbBackup", "echo second ran");
    box.run(List.of(first.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("holding")));
    long killed = box.monitors().getFirst();
    ProcessHandle monitor = ProcessHandle.of(killed).orElseThrow();
    monitor.destroyForcibly();
    monitor.onExit().get(10, TimeUnit.SECONDS);
    assertThat(ProcStat.session(killed, 0)).as("the script lives on").isNotEmpty();

    box.run(List.of(second.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.contains("WARNING UsbBackup: POST waits for processes of job(s) whose monitor died: cron.daily/first[" + killed + "]")));
    assertThat(Files.readAllLines(tmp.resolve("runs"))).as("no POST while the script runs").containsExactly("PREP");
    Files.createFile(tmp.resolve("gate"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    long pid = box.monitors().get(1);
    assertThat(lines).contains("second[" + pid + "]: second ran", "second[" + pid + "]: POST UsbBackup: POST done");
    assertThat(Files.readAllLines(tmp.resolve("runs"))).containsExactly("PREP", "script-ended", "POST");
    assertThat(box.lockFile("UsbBackup")).contains("prepared no").doesNotContain("holder");
  }

  @Test
  void aMonitorKilledWithItsWholeJobLeavesNothingStuck() throws Exception {
    Path first = box.script("first", "UsbBackup", "echo holding; while :; do sleep 0.05; done");
    Path second = box.script("second", "UsbBackup", "echo second ran");
    box.run(List.of(first.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("holding")));
    long killed = box.monitors().getFirst();
    Sandbox.killSession(killed);
    assertThat(box.lockFile("UsbBackup")).contains("prepared yes", "pid=" + killed);

    box.run(List.of(second.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    long pid = box.monitors().get(1);
    assertThat(lines)
        .anyMatch(l -> l.startsWith("second[" + pid + "]: WARNING UsbBackup: holder cron.daily/first[" + killed + "] since ")
            && l.endsWith(" is gone without releasing; dropped from " + LockFile.pathOf(box.locks, "UsbBackup")))
        .contains("second[" + pid + "]: second ran", "second[" + pid + "]: POST UsbBackup: POST done");
    assertThat(Files.readAllLines(tmp.resolve("runs"))).containsExactly("PREP", "POST");
    assertThat(box.lockFile("UsbBackup")).contains("prepared no").doesNotContain("holder");
  }

  @Test
  void aLockFileSwappedForASymlinkAfterLaunchIsRefusedAtRunTime() throws Exception {
    box.exit("SlowDisk", "echo \"$1\"");
    // The first resource's PREP swaps the second's lock file for a symlink while the job runs.
    box.exit("UsbBackup", "[ \"$1\" = PREP ] && ln -s /etc/passwd \"$SANDBOX/lock/rmonitor.SlowDisk.lock\"; exit 0");
    Path s = box.script("swapped", "UsbBackup,SlowDisk", "echo must not run");
    box.run(List.of(s.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    long pid = box.monitors().getFirst();
    assertThat(lines)
        .contains("swapped[" + pid + "]: ERROR lock file " + box.locks + "/rmonitor.SlowDisk.lock: is a symlink; refusing it")
        .contains("swapped[" + pid + "]: JOB Status 78")
        .noneMatch(l -> l.contains("must not run"));
    assertThat(Files.readString(Path.of("/etc/passwd"))).doesNotContain("rmonitor");
    assertThat(Sandbox.count(lines, Pattern.compile("POST UsbBackup: EXIT Status  0"))).isEqualTo(1);
  }

  /**
   * A lock directory on a full file system (a 64 KiB tmpfs, filled): the job ends with one ERROR
   * line that names the lock file and the cause, JOB Status 78, and no PREP. The JDK's message
   * alone was "No space left on device", naming nothing. Mounting needs root: skipped without.
   */
  @Test
  void aFullLockDiskIsOneErrorNamingTheLockFileAndNoPrepRuns() throws Exception {
    Path full = Files.createDirectory(tmp.resolve("full"));
    Process mount = new ProcessBuilder("mount", "-t", "tmpfs", "-o", "size=64k", "tmpfs", full.toString())
        .redirectErrorStream(true).start();
    org.junit.jupiter.api.Assumptions.assumeTrue(
        mount.waitFor(10, TimeUnit.SECONDS) && mount.exitValue() == 0, "cannot mount a tmpfs here (not root?)");
    try {
      Path locks = Files.createDirectory(full.resolve("lock"));
      try (var out = Files.newOutputStream(full.resolve("fill"))) {
        byte[] block = new byte[4096];
        while (true) out.write(block); // until the file system is full
      } catch (java.io.IOException expected) {
        // No space left on device
      }
      Path s = box.script("full", "UsbBackup", "echo must not run");
      Sandbox.Result r = box.run(List.of(s.toString()), java.util.Map.of("RMONITOR_LOCK_DIR", locks.toString()));
      assertThat(r.status()).as(r.stderr()).isZero();
      List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
      long pid = box.monitors().getFirst();
      assertThat(lines)
          .contains("full[" + pid + "]: ERROR lock file " + locks + "/rmonitor.UsbBackup.lock: cannot write the state: No space left on device")
          .contains("full[" + pid + "]: JOB Status 78")
          .noneMatch(l -> l.contains("must not run") || l.contains("PREP"));
      assertThat(tmp.resolve("runs")).doesNotExist();
      box.awaitMonitorsGone();
    } finally {
      new ProcessBuilder("umount", "-l", full.toString()).start().waitFor(10, TimeUnit.SECONDS);
    }
  }
}
