package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.rmonitor.proc.ProcStat;
import org.rmonitor.resource.Holder;
import org.rmonitor.resource.HolderFile;
import org.rmonitor.resource.LockFile;

/** rmonitor status, run while real jobs process, wait for a lock, and hold resources. */
class StatusIT extends SandboxTest {
  @Test
  void showsEachJobsPhaseAndEachResourcesHoldersWithTheDeadFlagged() throws Exception {
    box.exit("UsbBackup", "exit 0");
    box.exit("SlowDiskX", "[ \"$1\" = PREP ] && { echo preparing; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done; }; exit 0");
    Process gone = new ProcessBuilder("true").start();
    long ticks = ProcStat.of(gone.pid()).map(ProcStat::startTicks).orElse(1L);
    gone.waitFor(10, TimeUnit.SECONDS);
    Files.writeString(LockFile.pathOf(box.locks, "OldDisk1"),
        new HolderFile(true, List.of(new Holder(gone.pid(), ticks, Instant.parse("2026-01-01T04:40:00Z"), "", "", "cron.daily/killed"))).format("OldDisk1"));

    Path processing = box.script("busy", "UsbBackup", "echo ready; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done");
    Path preparing = box.script("first", "SlowDiskX", "true");
    Path waiting = box.script("second", "SlowDiskX", "true");
    box.run(List.of(processing.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(": ready")));
    box.run(List.of(preparing.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("PREP SlowDiskX: preparing")));
    box.run(List.of(waiting.toString()));
    long busy = box.monitors().get(0);
    long first = box.monitors().get(1);
    long second = box.monitors().get(2);
    ResourceIT.await(() -> ResourceIT.waitingForALock(second), "the second job waits for the lock");

    Sandbox.Result r = box.run(List.of(Sandbox.RMONITOR.toString(), "status"));
    Files.createFile(tmp.resolve("gate"));
    assertThat(r.status()).as(r.stderr()).isZero();
    List<String> out = r.stdout().lines().toList();
    assertThat(out.getFirst()).isEqualTo("JOBS");
    assertThat(out).anyMatch(l -> l.matches("  " + busy + " +cron\\.daily/busy +PROCESSING +since [-0-9]{10} [:0-9]{8}  UsbBackup"))
        .anyMatch(l -> l.matches("  " + first + " +cron\\.daily/first +PREP SlowDiskX +since .*  SlowDiskX"))
        .anyMatch(l -> l.matches("  " + second + " +cron\\.daily/second +waiting for SlowDiskX +since .*  SlowDiskX"))
        .contains("RESOURCES in " + box.locks)
        .anyMatch(l -> l.matches("  OldDisk1 +prepared, held by:"))
        .contains("      cron.daily/killed[" + gone.pid() + "] since 2026-01-01T04:40:00Z  STALE: gone without releasing; the next job drops it")
        .anyMatch(l -> l.matches("  UsbBackup +prepared, held by:"))
        .anyMatch(l -> l.matches("      cron\\.daily/busy\\[" + busy + "\\] since \\S+"));
    box.awaitJobsEnded(3);
  }

  /** After a failed job's JOB Status, its monitor is mailing: status says so, not PROCESSING. */
  @Test
  void aMonitorMailingTheFailureNoticeIsShownAsMailing() throws Exception {
    box.exit("UsbBackup", "exit 0");
    Path sendmail = Sandbox.executable(tmp.resolve("sendmail"),
        "#!/bin/sh\ncat >/dev/null\nwhile [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done\n");
    Path failing = box.script("failing", "UsbBackup", "exit 3");
    box.run(List.of(failing.toString()),
        java.util.Map.of("RMONITOR_MAIL", "on-failure", "RMONITOR_SENDMAIL", sendmail.toString(), "MAILTO", "ops@example.org"));
    long pid = box.monitors().getFirst();
    box.awaitJobsEnded(1);
    ResourceIT.await(() -> ProcessHandle.of(pid).map(p -> p.children().findAny().isPresent()).orElse(false),
        "the monitor runs sendmail");
    Sandbox.Result r = box.run(List.of(Sandbox.RMONITOR.toString(), "status"));
    Files.createFile(tmp.resolve("gate"));
    assertThat(r.status()).as(r.stderr()).isZero();
    assertThat(r.stdout().lines()).anyMatch(l -> l.matches("  " + pid + " +cron\\.daily/failing +mailing the notice +since .*"));
    box.awaitMonitorsGone();
  }

  @Test
  void aMissingLockDirectoryIsOneClearError() throws Exception {
    Sandbox.Result r = box.run(List.of(Sandbox.RMONITOR.toString(), "status", "--lock-dir", tmp + "/none"));
    assertThat(r.status()).isEqualTo(78);
    assertThat(r.stderr()).isEqualTo("rmonitor: status: lock directory " + tmp + "/none: no such directory\n");
  }
}
