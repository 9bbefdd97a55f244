package org.rmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.Main;
import org.rmonitor.UserError;
import org.rmonitor.cli.UsageException;

class ReportTest {
  @TempDir Path tmp;

  /** Yesterday's file, rotated and compressed: the seed's night, in the plain ident form. */
  static final String YESTERDAY =
      """
      Mar 29 04:40:01 merlin cron.daily: JOB 20.daily.backup.etc[22090] Launched
      Mar 29 04:40:01 merlin cron.daily: JOB 20.daily.backup.userdirs[22159] Launched
      Mar 29 04:40:01 merlin 20.daily.backup.etc[22090]: JOB Begins
      Mar 29 04:40:01 merlin sshd[999]: Accepted publickey for root
      Mar 29 04:40:01 merlin 20.daily.backup.etc[22090]: PREP UsbBackup: EXIT Begins
      Mar 29 04:40:02 merlin 20.daily.backup.userdirs[22159]: JOB Begins
      Mar 29 04:53:55 merlin 20.daily.backup.etc[22090]: PREP UsbBackup: EXIT Status  0
      Mar 29 04:53:55 merlin 20.daily.backup.etc[22090]: PROCESSING Begins
      Mar 29 04:53:55 merlin 20.daily.backup.userdirs[22159]: PROCESSING Begins
      Mar 29 04:54:12 merlin 20.daily.backup.etc[22090]: PROCESSING Status 0
      Mar 29 04:54:12 merlin 20.daily.backup.etc[22090]: JOB Status 0
      """;

  /** Today's file: the userdirs job ends after midnight; the -L form; a PID reused; one never ends. */
  static final String TODAY =
      """
      Mar 30 01:16:36 merlin 20.daily.backup.userdirs[22159]: PROCESSING Status 2
      Mar 30 01:16:36 merlin 20.daily.backup.userdirs[22159]: JOB Status 2
      Mar 30 04:40:01 merlin cron.daily: JOB 20.daily.backup.etc[22090] Launched
      Mar 30 04:40:01 merlin rmonitor: 20.daily.backup.etc[22090]: JOB Begins
      Mar 30 04:40:01 merlin rmonitor: 20.daily.backup.etc[22090]: PROCESSING Begins
      Mar 30 04:40:01 merlin 20.daily.backup.etc[22090]: tar: Removing leading `/'
      Mar 30 04:40:03 merlin cron.daily: JOB 21.daily.backup.stuck[30001] Launched
      Mar 30 04:40:03 merlin 21.daily.backup.stuck[30001]: JOB Begins
      Mar 30 06:45:02 merlin rmonitor: 20.daily.backup.etc[22090]: PROCESSING Status 0
      Mar 30 06:45:02 merlin rmonitor: 20.daily.backup.etc[22090]: JOB Status 0
      """;

  /**
   * A collector's night: merlin and gandalf run the same jobs, and by chance with the same
   * PIDs, their lines interleaved; gandalf's etc job never logs JOB Status.
   */
  static final String FLEET =
      """
      Mar 30 04:40:01 merlin cron.daily: JOB 21.daily.backup.etc[10200] Launched
      Mar 30 04:40:01 gandalf cron.daily: JOB 21.daily.backup.etc[10200] Launched
      Mar 30 04:40:01 merlin 21.daily.backup.etc[10200]: JOB Begins
      Mar 30 04:40:01 gandalf 21.daily.backup.etc[10200]: JOB Begins
      Mar 30 04:40:02 merlin cron.daily: JOB 21.daily.backup.mysql[10246] Launched
      Mar 30 04:40:02 gandalf cron.daily: JOB 21.daily.backup.mysql[10246] Launched
      Mar 30 04:40:02 gandalf 21.daily.backup.mysql[10246]: JOB Begins
      Mar 30 04:40:02 merlin 21.daily.backup.mysql[10246]: JOB Begins
      Mar 30 04:41:00 merlin 21.daily.backup.etc[10200]: PROCESSING Begins
      Mar 30 04:41:00 gandalf 21.daily.backup.etc[10200]: PROCESSING Begins
      Mar 30 04:41:00 gandalf 21.daily.backup.etc[10200]: from gandalf
      Mar 30 04:41:00 merlin 21.daily.backup.etc[10200]: from merlin
      Mar 30 04:41:05 merlin 21.daily.backup.mysql[10246]: PROCESSING Begins
      Mar 30 04:41:05 gandalf 21.daily.backup.mysql[10246]: PROCESSING Begins
      Mar 30 04:42:00 merlin 21.daily.backup.etc[10200]: PROCESSING Status 0
      Mar 30 04:42:00 merlin 21.daily.backup.etc[10200]: JOB Status 0
      Mar 30 04:43:05 gandalf 21.daily.backup.mysql[10246]: PROCESSING Status 1
      Mar 30 04:43:05 gandalf 21.daily.backup.mysql[10246]: JOB Status 1
      Mar 30 04:44:05 merlin 21.daily.backup.mysql[10246]: PROCESSING Status 0
      Mar 30 04:44:05 merlin 21.daily.backup.mysql[10246]: JOB Status 0
      """;

  record Result(int status, String out, String err) {}

  Result report(List<String> args, String stdin) throws UserError {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Report.run(
            args,
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    return new Result(rc, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
  }

  /** A report that must succeed with nothing on stderr. */
  String ok(List<String> args, String stdin) throws UserError {
    Result r = report(args, stdin);
    assertThat(r.err()).isEmpty();
    assertThat(r.status()).isZero();
    return r.out();
  }

  Path gz(String name, String text) throws Exception {
    Path gz = tmp.resolve(name);
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return gz;
  }

  @Test
  void eachRunAsItEndsWithItsLinesWaitRunTimeAndStatusThenTheUnfinished() throws Exception {
    Path gz = gz("messages.1.gz", YESTERDAY);
    Path plain = Files.writeString(tmp.resolve("messages"), TODAY);
    String r = ok(List.of(gz.toString(), plain.toString()), "");
    assertThat(r)
        .startsWith(
            """
            HOST merlin
            JOB 20.daily.backup.etc[22090] launched Mar 29 04:40:01
            Mar 29 04:40:01 merlin cron.daily: JOB 20.daily.backup.etc[22090] Launched
            Mar 29 04:40:01 merlin 20.daily.backup.etc[22090]: JOB Begins
            Mar 29 04:40:01 merlin 20.daily.backup.etc[22090]: PREP UsbBackup: EXIT Begins
            Mar 29 04:53:55 merlin 20.daily.backup.etc[22090]: PREP UsbBackup: EXIT Status  0
            Mar 29 04:53:55 merlin 20.daily.backup.etc[22090]: PROCESSING Begins
            Mar 29 04:54:12 merlin 20.daily.backup.etc[22090]: PROCESSING Status 0
            Mar 29 04:54:12 merlin 20.daily.backup.etc[22090]: JOB Status 0
              waited 13m54s for PREP, ran 17s, JOB Status 0

            JOB 20.daily.backup.userdirs[22159] launched Mar 29 04:40:01
            """)
        .contains("  waited 13m53s for PREP, ran 20h22m, JOB Status 2\n")
        .contains(
            """
            JOB 20.daily.backup.etc[22090] launched Mar 30 04:40:01
            Mar 30 04:40:01 merlin cron.daily: JOB 20.daily.backup.etc[22090] Launched
            Mar 30 04:40:01 merlin rmonitor: 20.daily.backup.etc[22090]: JOB Begins
            Mar 30 04:40:01 merlin rmonitor: 20.daily.backup.etc[22090]: PROCESSING Begins
            Mar 30 04:40:01 merlin 20.daily.backup.etc[22090]: tar: Removing leading `/'
            Mar 30 06:45:02 merlin rmonitor: 20.daily.backup.etc[22090]: PROCESSING Status 0
            Mar 30 06:45:02 merlin rmonitor: 20.daily.backup.etc[22090]: JOB Status 0
              waited 0s for PREP, ran 2h05m, JOB Status 0
            """)
        .contains(
            """
            JOB 21.daily.backup.stuck[30001] launched Mar 30 04:40:03
            Mar 30 04:40:03 merlin cron.daily: JOB 21.daily.backup.stuck[30001] Launched
            Mar 30 04:40:03 merlin 21.daily.backup.stuck[30001]: JOB Begins
              no JOB Status: still running, or its monitor died
            """)
        .doesNotContain("sshd")
        .endsWith(
            """
            Jobs that never logged JOB Status (still running, or the monitor died):
              merlin: 21.daily.backup.stuck[30001] launched Mar 30 04:40:03
            """);
    assertThat(r.lines().filter(l -> l.startsWith("HOST "))).containsExactly("HOST merlin");
  }

  @Test
  void readsStandardInputWhenGivenNoFileOrADash() throws Exception {
    assertThat(ok(List.of(), YESTERDAY)).contains("JOB 20.daily.backup.etc[22090] launched Mar 29 04:40:01");
    assertThat(ok(List.of("-"), YESTERDAY)).contains("JOB 20.daily.backup.etc[22090] launched Mar 29 04:40:01");
  }

  @Test
  void aFleetsFileKeepsHostsApartThoughJobNamesAndPidsRepeat() throws Exception {
    String r = ok(List.of(), FLEET);
    // Each run holds its own host's lines only, and its own status.
    assertThat(r)
        .contains(
            """
            HOST merlin
            JOB 21.daily.backup.etc[10200] launched Mar 30 04:40:01
            Mar 30 04:40:01 merlin cron.daily: JOB 21.daily.backup.etc[10200] Launched
            Mar 30 04:40:01 merlin 21.daily.backup.etc[10200]: JOB Begins
            Mar 30 04:41:00 merlin 21.daily.backup.etc[10200]: PROCESSING Begins
            Mar 30 04:41:00 merlin 21.daily.backup.etc[10200]: from merlin
            Mar 30 04:42:00 merlin 21.daily.backup.etc[10200]: PROCESSING Status 0
            Mar 30 04:42:00 merlin 21.daily.backup.etc[10200]: JOB Status 0
              waited 59s for PREP, ran 1m00s, JOB Status 0

            HOST gandalf
            JOB 21.daily.backup.mysql[10246] launched Mar 30 04:40:02
            """)
        .contains("  waited 1m03s for PREP, ran 2m00s, JOB Status 1\n")
        .contains("  waited 1m03s for PREP, ran 3m00s, JOB Status 0\n")
        .contains(
            """
            HOST gandalf
            JOB 21.daily.backup.etc[10200] launched Mar 30 04:40:01
            Mar 30 04:40:01 gandalf cron.daily: JOB 21.daily.backup.etc[10200] Launched
            Mar 30 04:40:01 gandalf 21.daily.backup.etc[10200]: JOB Begins
            Mar 30 04:41:00 gandalf 21.daily.backup.etc[10200]: PROCESSING Begins
            Mar 30 04:41:00 gandalf 21.daily.backup.etc[10200]: from gandalf
              waited 59s for PREP, no JOB Status: still running, or its monitor died
            """)
        // The unfinished run is flagged on its own host only.
        .endsWith(
            """
            Jobs that never logged JOB Status (still running, or the monitor died):
              gandalf: 21.daily.backup.etc[10200] launched Mar 30 04:40:01
            """);
    assertThat(r.lines().filter(l -> l.startsWith("JOB "))).hasSize(4);
  }

  @Test
  void hostShowsOnlyTheHostsNamedAndMayBeRepeated() throws Exception {
    String more = FLEET.replace("merlin", "frodo").replace("gandalf", "sam");
    String r = ok(List.of("--host", "merlin"), FLEET + more);
    assertThat(r.lines().filter(l -> l.startsWith("HOST "))).containsExactly("HOST merlin");
    assertThat(r).doesNotContain("gandalf", "frodo", "sam", "never logged");
    assertThat(r.lines().filter(l -> l.startsWith("JOB "))).hasSize(2);

    r = ok(List.of("--host", "merlin", "--host=FRODO", "--host", "sam"), FLEET + more);
    assertThat(r).doesNotContain("gandalf").contains("HOST frodo").endsWith("  sam: 21.daily.backup.etc[10200] launched Mar 30 04:40:01\n");
    assertThat(r.lines().filter(l -> l.startsWith("JOB "))).hasSize(6);
  }

  @Test
  void aHostNoLineCameFromIsSaidWithTheHostsThereWere() throws Exception {
    Result r = report(List.of("--host", "merlyn"), FLEET);
    assertThat(r.status()).isEqualTo(Report.NO_SUCH_HOST);
    assertThat(r.out()).isEmpty();
    assertThat(r.err()).isEqualTo("rmonitor: report: no line from host 'merlyn'; hosts in the input: merlin, gandalf\n");
  }

  @Test
  void anUnknownOptionIsOneLineAndExit64() throws Exception {
    assertThatThrownBy(() -> report(List.of("--hots", "merlin"), ""))
        .isInstanceOf(UsageException.class)
        .hasMessage("report: Unrecognized option: --hots (try rmonitor --help)");
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    int rc =
        Main.run(
            new String[] {"report", "--host"},
            Map.of(),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThat(rc).isEqualTo(64);
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("rmonitor: report: Missing argument for option: host (try rmonitor --help)\n");
    assertThat(out.size()).isZero();
  }

  @Test
  void aFileThatCannotBeReadIsOneLineNamingItAndTheOthersAreStillRead() throws Exception {
    Path today = Files.writeString(tmp.resolve("messages"), TODAY);
    Result r = report(List.of(tmp.resolve("nope").toString(), today.toString()), "");
    assertThat(r.status()).isEqualTo(UserError.NO_INPUT);
    assertThat(r.err()).isEqualTo("rmonitor: report: " + tmp.resolve("nope") + ": no such readable file\n");
    assertThat(r.out()).contains("JOB 20.daily.backup.etc[22090] launched Mar 30 04:40:01");
  }

  @Test
  void aTruncatedGzAmongSeveralFilesIsOneLineNamingThatFile() throws Exception {
    Path older = gz("messages.2.gz", YESTERDAY);
    Path whole = gz("whole.gz", YESTERDAY + TODAY);
    byte[] bytes = Files.readAllBytes(whole);
    Path truncated = Files.write(tmp.resolve("messages.1.gz"), Arrays.copyOf(bytes, bytes.length * 2 / 3));
    Path today = Files.writeString(tmp.resolve("messages"), TODAY);
    Result r = report(List.of(older.toString(), truncated.toString(), today.toString()), "");
    assertThat(r.status()).isEqualTo(UserError.DATA_ERR);
    assertThat(r.err().lines()).hasSize(1);
    assertThat(r.err()).matches("rmonitor: report: \\Q" + truncated + "\\E: truncated or corrupt \\.gz, read up to line \\d+ \\(.+\\)\n");
    assertThat(r.err()).doesNotContain("Exception", "\tat ");
    // The files before and after it are reported all the same.
    assertThat(r.out()).contains("JOB 20.daily.backup.etc[22090] launched Mar 29 04:40:01", "launched Mar 30 04:40:03");
  }

  @Test
  void aFileNamedGzThatIsNotOneOrIsEmptyIsOneLineNamingIt() throws Exception {
    Path plain = Files.writeString(tmp.resolve("messages.1.gz"), TODAY);
    Path empty = Files.writeString(tmp.resolve("messages.2.gz"), "");
    Result r = report(List.of(plain.toString(), empty.toString()), "");
    assertThat(r.status()).isEqualTo(UserError.DATA_ERR);
    assertThat(r.err())
        .isEqualTo(
            "rmonitor: report: " + plain + ": not a .gz file, or an empty one (Not in GZIP format)\n"
                + "rmonitor: report: " + empty + ": not a .gz file, or an empty one (unexpected end of file)\n");
  }

  @Test
  void aFileInWhichNoLineIsRecognisedIsAnErrorNeverSilentSuccess() throws Exception {
    Path json = Files.writeString(tmp.resolve("messages.json"), "{\"host\":\"merlin\",\"msg\":\"JOB Begins\"}\n{}\n");
    Path today = Files.writeString(tmp.resolve("messages"), TODAY);
    Result r = report(List.of(json.toString(), today.toString()), "");
    assertThat(r.status()).isEqualTo(UserError.DATA_ERR);
    assertThat(r.err())
        .isEqualTo(
            "rmonitor: report: " + json + ": no line in a syslog format the report reads (traditional, RFC 3339 or"
                + " busybox syslogd); the first line is '{\"host\":\"merlin\",\"msg\":\"JOB Begins\"}'\n");
    assertThat(r.out()).contains("launched Mar 30 04:40:03");

    r = report(List.of(), "Mar  9 04:40 merlin j[1]: JOB Begins\n");
    assertThat(r.status()).isEqualTo(UserError.DATA_ERR);
    assertThat(r.err()).startsWith("rmonitor: report: standard input: no line in a syslog format");
    assertThat(r.out()).isEmpty();
  }

  @Test
  void anEmptyFileAsLeftByLogrotateOrOneWithoutJobsIsNoError() throws Exception {
    Path empty = Files.writeString(tmp.resolve("messages"), "");
    assertThat(ok(List.of(empty.toString()), "")).isEmpty();
    assertThat(ok(List.of(), "Mar 30 04:40:01 merlin sshd[999]: Accepted publickey for root\n")).isEmpty();
  }

  @Test
  void readsRsyslogsDefaultRfc3339Stamps() throws Exception {
    String log =
        """
        2026-11-25T03:57:25.245247+00:00 vm cron.daily: JOB 21.daily.backup.etc[26793] Launched
        2026-11-25T03:57:25.249454+00:00 vm rmonitor: 21.daily.backup.etc[26793]: JOB Begins
        2026-11-25T04:05:25.285556+00:00 vm rmonitor: 21.daily.backup.etc[26793]: PROCESSING Begins
        2026-11-25T04:05:42.297194+00:00 vm rmonitor: 21.daily.backup.etc[26793]: PROCESSING Status 0
        2026-11-25T04:05:42.314984+00:00 vm rmonitor: 21.daily.backup.etc[26793]: JOB Status 0
        """;
    assertThat(ok(List.of(), log))
        .startsWith("HOST vm\nJOB 21.daily.backup.etc[26793] launched 2026-11-25T03:57:25.245247+00:00\n")
        .contains("  waited 8m00s for PREP, ran 17s, JOB Status 0\n");
  }

  @Test
  void readsBusyboxSyslogdWithFacilityAndLevelAndWithoutHostUnderDashS() throws Exception {
    String busybox =
        """
        Nov 30 04:40:03 merlin local1.info cron.daily: JOB 21.daily.backup.etc[10200] Launched
        Nov 30 04:40:03 merlin local1.info 21.daily.backup.etc[10200]: JOB Begins
        Nov 30 04:40:03 merlin local1.info 21.daily.backup.etc[10200]: PROCESSING Begins
        Nov 30 04:40:09 merlin local1.err 21.daily.backup.etc[10200]: tar: /etc/x: Cannot stat
        Nov 30 04:40:20 merlin local1.err 21.daily.backup.etc[10200]: PROCESSING Status 2
        Nov 30 04:40:20 merlin local1.err 21.daily.backup.etc[10200]: JOB Status 2
        """;
    assertThat(ok(List.of(), busybox))
        .startsWith("HOST merlin\nJOB 21.daily.backup.etc[10200] launched Nov 30 04:40:03\n")
        .contains("Nov 30 04:40:09 merlin local1.err 21.daily.backup.etc[10200]: tar: /etc/x: Cannot stat\n")
        .contains("  waited 0s for PREP, ran 17s, JOB Status 2\n");
    String small =
        """
        Nov 30 04:40:03 cron.daily: JOB 21.daily.backup.etc[10200] Launched
        Nov 30 04:40:03 rmonitor: 21.daily.backup.etc[10200]: JOB Begins
        Nov 30 04:40:03 rmonitor: 21.daily.backup.etc[10200]: PROCESSING Begins
        Nov 30 04:40:20 rmonitor: 21.daily.backup.etc[10200]: PROCESSING Status 0
        Nov 30 04:40:20 rmonitor: 21.daily.backup.etc[10200]: JOB Status 0
        """;
    assertThat(ok(List.of(), small))
        .startsWith("HOST (no host name)\nJOB 21.daily.backup.etc[10200] launched Nov 30 04:40:03\n")
        .contains("  waited 0s for PREP, ran 17s, JOB Status 0\n");
  }

  @Test
  void aRunKeepsItsFirstAndLastLinesAndSaysHowManyWereLeftOut() throws Exception {
    StringBuilder log = new StringBuilder();
    log.append("Mar 30 04:40:01 merlin cron.daily: JOB tar[42] Launched\n");
    log.append("Mar 30 04:40:01 merlin tar[42]: JOB Begins\n");
    log.append("Mar 30 04:40:01 merlin tar[42]: PROCESSING Begins\n");
    for (int i = 1; i <= 100_000; i++) log.append("Mar 30 04:41:00 merlin tar[42]: file ").append(i).append('\n');
    log.append("Mar 30 05:40:01 merlin tar[42]: PROCESSING Status 0\n");
    log.append("Mar 30 05:40:01 merlin tar[42]: JOB Status 0\n");
    List<String> lines = ok(List.of(), log.toString()).lines().toList();
    // 100,005 lines: the first 50 and the last 50 are shown, 99,905 left out.
    assertThat(lines.get(1)).isEqualTo("JOB tar[42] launched Mar 30 04:40:01");
    assertThat(lines.subList(2, 52)).endsWith("Mar 30 04:41:00 merlin tar[42]: file 47");
    assertThat(lines.get(52)).isEqualTo("... 99905 lines left out ...");
    assertThat(lines.subList(53, 103))
        .startsWith("Mar 30 04:41:00 merlin tar[42]: file 99953")
        .endsWith("Mar 30 05:40:01 merlin tar[42]: JOB Status 0");
    assertThat(lines.get(103)).isEqualTo("  waited 0s for PREP, ran 1h00m, JOB Status 0");
  }

  @Test
  void anOverlongLineIsCutAndSaysSo() throws Exception {
    String big = "x".repeat(1_000_000);
    String log =
        "Mar 30 04:40:01 merlin cron.daily: JOB j[42] Launched\n"
            + "Mar 30 04:40:01 merlin j[42]: JOB Begins\n"
            + "Mar 30 04:40:02 merlin j[42]: "
            + big
            + "\n"
            + "Mar 30 04:40:03 merlin j[42]: JOB Status 0\n";
    String r = ok(List.of(), log);
    String prefix = "Mar 30 04:40:02 merlin j[42]: ";
    int kept = CappedLineReader.MAX_LINE - prefix.length();
    assertThat(r).contains(prefix + "x".repeat(kept) + " ... " + (big.length() - kept) + " bytes left out ...\n");
    assertThat(r).endsWith("  JOB Status 0\n\n");
  }

  @Test
  void aPidReusedOnOneHostEndsItsOldRunThere() throws Exception {
    String log =
        """
        Mar 30 04:40:01 merlin cron.daily: JOB j[42] Launched
        Mar 30 04:40:01 gandalf cron.daily: JOB j[42] Launched
        Mar 30 04:40:01 merlin j[42]: JOB Begins
        Mar 31 04:40:01 merlin cron.daily: JOB j[42] Launched
        Mar 31 04:40:02 merlin j[42]: JOB Status 0
        Mar 31 04:40:02 gandalf j[42]: JOB Status 0
        """;
    String r = ok(List.of(), log);
    assertThat(r)
        .contains("  no JOB Status before the same job and PID were launched again: its monitor died\n")
        .contains("JOB j[42] launched Mar 31 04:40:01\n")
        .endsWith(
            """
            Jobs that never logged JOB Status (still running, or the monitor died):
              merlin: j[42] launched Mar 30 04:40:01
            """);
    assertThat(r.lines().filter(l -> l.equals("  JOB Status 0"))).hasSize(2);
  }

  @Test
  void openRunsAreBoundedTheOneSilentLongestIsShownEarly() throws Exception {
    List<Run> ended = new ArrayList<>();
    RunTracker t = new RunTracker(Run.Window.DEFAULT, 2, ended::add);
    for (String raw :
        List.of(
            "Mar 30 04:40:01 merlin cron.daily: JOB a[1] Launched",
            "Mar 30 04:40:01 merlin cron.daily: JOB b[2] Launched",
            "Mar 30 04:40:02 merlin a[1]: JOB Begins",
            "Mar 30 04:40:03 merlin cron.daily: JOB c[3] Launched")) {
      t.add(JobLine.of(SyslogLine.parse(raw)));
    }
    assertThat(t.openRuns()).isEqualTo(2);
    assertThat(ended).extracting(Run::job).containsExactly("b[2]");
    assertThat(ended.getFirst().summary()).isEqualTo("no JOB Status yet; shown early, the run silent longest of 2 open at once");
  }
}
