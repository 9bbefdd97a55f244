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
import java.util.List;
import java.util.zip.GZIPOutputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.UserError;

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

  String report(List<String> files, String stdin) throws UserError {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    int rc =
        Report.run(files, new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)), new PrintStream(out, true, StandardCharsets.UTF_8));
    assertThat(rc).isZero();
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void eachRunWithItsLinesWaitRunTimeAndStatusThenTheUnfinished() throws Exception {
    Path gz = tmp.resolve("messages.1.gz");
    try (OutputStream o = new GZIPOutputStream(Files.newOutputStream(gz))) {
      o.write(YESTERDAY.getBytes(StandardCharsets.UTF_8));
    }
    Path plain = Files.writeString(tmp.resolve("messages"), TODAY);
    String r = report(List.of(gz.toString(), plain.toString()), "");
    assertThat(r)
        .startsWith(
            """
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
        .doesNotContain("sshd")
        .endsWith(
            """
            Jobs that never logged JOB Status (still running, or the monitor died):
              21.daily.backup.stuck[30001] launched Mar 30 04:40:03
            """);
  }

  @Test
  void readsStandardInputWhenGivenNoFile() throws Exception {
    assertThat(report(List.of(), YESTERDAY)).contains("JOB 20.daily.backup.etc[22090] launched Mar 29 04:40:01");
  }

  @Test
  void aFileThatCannotBeReadIsOneClearError() {
    assertThatThrownBy(() -> report(List.of(tmp.resolve("nope").toString()), ""))
        .isInstanceOf(UserError.class)
        .hasMessage("report: " + tmp.resolve("nope") + ": no such readable file");
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
    assertThat(report(List.of(), log))
        .startsWith("JOB 21.daily.backup.etc[26793] launched 2026-11-25T03:57:25.245247+00:00\n")
        .contains("  waited 8m00s for PREP, ran 17s, JOB Status 0\n");
  }
}
