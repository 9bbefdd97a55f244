package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/**
 * The seed's night: four backup scripts in cron.daily, run by run-parts, all needing UsbBackup and
 * two of them DailyBackups too. run-parts must return while every job still runs; each resource is
 * prepared once before the first job and cleaned up once after the last.
 */
class BackupNightIT extends SandboxTest {
  /** Every line a monitor logs, by the seed's grammar (TAG: MSG after the host name). */
  static final Pattern GRAMMAR =
      Pattern.compile(
          "cron\\.daily: JOB (21\\.daily\\.backup\\.\\w+)\\[(\\d+)\\] Launched"
              + "|(21\\.daily\\.backup\\.\\w+)\\[(\\d+)\\]: ("
              + "JOB Begins|PROCESSING Begins|PROCESSING Status \\d+|JOB Status \\d+"
              + "|(PREP|POST) (UsbBackup|DailyBackups): (EXIT Begins|EXIT Status  \\d+|.*)"
              + "|backed up .*)");

  @BeforeEach
  void setUp() throws Exception {
    // Each exit counts its runs in a file, and PREP takes a moment, as fsck does.
    for (String r : List.of("UsbBackup", "DailyBackups")) {
      box.exit(
          r,
          """
          echo "$1 $RMONITOR_JOB" >> "$SANDBOX/%s.runs"
          [ "$1" = PREP ] && echo "Will fsck filesystem and mount to /var/backup" && sleep 0.3
          [ "$1" = POST ] && echo "Will umount and fsck /var/backup"
          exit 0"""
              .formatted(r));
    }
    // The jobs wait for a gate the test opens only after run-parts has returned.
    String body =
        """
        while [ ! -e "$SANDBOX/gate" ]; do sleep 0.05; done
        echo "backed up $(basename "$0") with $*"
        """;
    box.script("21.daily.backup.etc", "UsbBackup,DailyBackups /bin/sh", body);
    box.script("21.daily.backup.htdocs", "UsbBackup /bin/sh", body);
    box.script("21.daily.backup.mysql", "UsbBackup /bin/sh", body);
    box.script("21.daily.backup.userdirs", "UsbBackup,DailyBackups /bin/sh", body);
  }

  /** Repeated: four monitors racing for two locks is where a race would show. */
  @RepeatedTest(3)
  void runPartsReturnsAtOnceAndEachResourceIsPreparedAndCleanedUpOnce() throws Exception {
    Sandbox.Result rp = box.runParts();

    // run-parts is back while all four jobs are still blocked on the gate.
    assertThat(rp.status()).isZero();
    assertThat(box.monitors()).hasSize(4);
    assertThat(box.syslog.lines()).noneMatch(l -> l.contains("PROCESSING Status"));
    assertThat(rp.stderr().lines())
        .allMatch(l -> l.matches("cron\\.daily: JOB 21\\.daily\\.backup\\.\\w+\\[\\d+\\] Launched"));

    // The jobs overlap in time once all four are processing: then each resource must be prepared
    // once before the first and cleaned up once after the last. (A job that started late, after
    // the others had ended, would rightly prepare again.)
    box.await(l -> Sandbox.count(l, Pattern.compile(": PROCESSING Begins$")) == 4);
    Files.createFile(tmp.resolve("gate"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(4));
    box.awaitMonitorsGone();
    lines = Sandbox.tagged(box.syslog.lines());

    assertThat(lines).allMatch(l -> GRAMMAR.matcher(l).matches(), "every line follows the seed's grammar");
    assertThat(Files.readAllLines(tmp.resolve("UsbBackup.runs"))).hasSize(2)
        .satisfies(runs -> assertThat(runs.get(0)).startsWith("PREP "))
        .satisfies(runs -> assertThat(runs.get(1)).startsWith("POST "));
    assertThat(Files.readAllLines(tmp.resolve("DailyBackups.runs"))).hasSize(2);

    for (long pid : box.monitors()) {
      List<String> job = lines.stream().filter(l -> l.contains("[" + pid + "]")).toList();
      String name = job.getFirst().replaceAll(".*JOB (\\S+)\\[.*", "$1");
      assertThat(job.getFirst()).isEqualTo("cron.daily: JOB " + name + "[" + pid + "] Launched");
      String me = name + "[" + pid + "]: ";
      assertThat(job.get(1)).isEqualTo(me + "JOB Begins");
      assertThat(job).contains(me + "PROCESSING Begins", me + "backed up " + name + " with ",
          me + "PROCESSING Status 0");
      assertThat(job.getLast()).isEqualTo(me + "JOB Status 0");
      assertThat(job.indexOf(me + "PROCESSING Begins")).isLessThan(job.indexOf(me + "PROCESSING Status 0"));
    }

    // Each job starts processing only once every resource it names is prepared.
    int usbReady = lastIndex(lines, "PREP UsbBackup: EXIT Status  0");
    int dailyReady = lastIndex(lines, "PREP DailyBackups: EXIT Status  0");
    assertThat(usbReady).isLessThan(dailyReady);
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.endsWith("PROCESSING Begins")) continue;
      assertThat(i).as(l).isGreaterThan(usbReady);
      if (l.contains(".etc[") || l.contains(".userdirs[")) assertThat(i).as(l).isGreaterThan(dailyReady);
    }
    // Each resource is cleaned up only after the last job naming it has ended processing.
    int postDaily = firstIndex(lines, "POST DailyBackups: EXIT Begins");
    int postUsb = firstIndex(lines, "POST UsbBackup: EXIT Begins");
    for (int i = 0; i < lines.size(); i++) {
      String l = lines.get(i);
      if (!l.contains("PROCESSING Status")) continue;
      assertThat(i).as(l).isLessThan(postUsb);
      if (l.contains(".etc[") || l.contains(".userdirs[")) assertThat(i).as(l).isLessThan(postDaily);
    }
    assertThat(Sandbox.count(lines, Pattern.compile("EXIT Begins"))).isEqualTo(4);

    assertThat(box.lockFile("UsbBackup")).contains("prepared no").doesNotContain("holder");
    assertThat(box.lockFile("DailyBackups")).contains("prepared no").doesNotContain("holder");

    // The management report of the night, from the file rsyslogd wrote.
    Sandbox.Result report = box.run(List.of(Sandbox.RMONITOR.toString(), "report", box.syslog.messages().toString()));
    assertThat(report.status()).isZero();
    assertThat(report.stdout().lines().filter(l -> l.matches("JOB 21\\.daily\\.backup\\.\\w+\\[\\d+\\] launched .*"))).hasSize(4);
    assertThat(report.stdout().lines().filter(l -> l.matches("  waited \\d+s for PREP, ran \\d+s, JOB Status 0"))).hasSize(4);
    assertThat(report.stdout()).doesNotContain("never logged");

    // Facility local1; stdout at info; rmonitor's own lines at info when all went well.
    assertThat(box.syslog.detailLines()).allMatch(l -> l.startsWith("local1.info "));
  }

  private static int firstIndex(List<String> lines, String part) {
    for (int i = 0; i < lines.size(); i++) if (lines.get(i).contains(part)) return i;
    throw new AssertionError("no line contains " + part + " in " + lines);
  }

  private static int lastIndex(List<String> lines, String part) {
    for (int i = lines.size() - 1; i >= 0; i--) if (lines.get(i).contains(part)) return i;
    throw new AssertionError("no line contains " + part + " in " + lines);
  }
}
