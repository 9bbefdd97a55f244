package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.util.Base64;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.Destination;

class FailureNoticeTest {
  static final ZoneId ZONE = ZoneId.of("Europe/Berlin");
  static final Instant T = Instant.parse("2026-03-09T03:40:03Z");
  final Job job = Notices.job(Notices.cron(null));

  FailureNotice notice(List<String> to) {
    return new FailureNotice(job, 2, "merlin", Optional.of("root"), to, ZonedDateTime.of(2026, 3, 9, 4, 48, 54, 0, ZONE),
        List.of("grep -F '21.daily.backup.etc[10200]' /var/log/syslog"));
  }

  static Transcript failingBackup() {
    Transcript t = Transcript.bounded();
    t.lifecycle(T, "JOB 21.daily.backup.etc[10200] Launched");
    t.lifecycle(T, "JOB Begins");
    t.lifecycle(T, "PROCESSING Begins");
    t.target(false, T.plusSeconds(1), "etc/");
    t.target(true, T.plusSeconds(2), "tar: /etc/shadow: Cannot open: Permission denied");
    t.target(true, T.plusSeconds(2), "tar: Exiting with failure status due to previous errors");
    t.lifecycle(T.plusSeconds(3), "PROCESSING Status 2");
    t.lifecycle(T.plusSeconds(3), "JOB Status 2");
    return t;
  }

  @Test
  void aFailingJobsMessageAsSendmailReadsIt() {
    assertThat(notice(List.of("root")).message(failingBackup()))
        .isEqualTo(
            """
            From: root (rmonitor on merlin)
            To: root
            Subject: rmonitor <root@merlin> cron.daily/21.daily.backup.etc: JOB Status 2
            Date: Mon, 9 Mar 2026 04:48:54 +0100
            MIME-Version: 1.0
            Content-Type: text/plain; charset=UTF-8
            Content-Transfer-Encoding: 8bit
            Auto-Submitted: auto-generated

            cron.daily/21.daily.backup.etc, monitor PID 10200 on merlin, ended with JOB Status 2.
            Script: /etc/cron.daily/21.daily.backup.etc, run by /bin/sh.

            rmonitor's lines (5 lines):
              04:40:03 JOB 21.daily.backup.etc[10200] Launched
              04:40:03 JOB Begins
              04:40:03 PROCESSING Begins
              04:40:06 PROCESSING Status 2
              04:40:06 JOB Status 2

            Standard error (2 lines):
              04:40:05 tar: /etc/shadow: Cannot open: Permission denied
              04:40:05 tar: Exiting with failure status due to previous errors

            Standard output (1 line):
              04:40:04 etc/

            Every line of this run:
              grep -F '21.daily.backup.etc[10200]' /var/log/syslog
            """);
  }

  @Test
  void stderrComesBeforeStdoutAndEmptyStreamsSaySo() {
    Transcript t = Transcript.bounded();
    t.lifecycle(T, "JOB Status 1");
    String m = notice(List.of("root")).message(t);
    assertThat(m).contains("\nStandard error: none.\n\nStandard output: none.\n");
    String full = notice(List.of("root")).message(failingBackup());
    assertThat(full.indexOf("Standard error")).isLessThan(full.indexOf("Standard output"));
  }

  @Test
  void aMessageForNobodyHasNoToHeader() {
    assertThat(notice(List.of()).message(failingBackup())).doesNotContain("To:");
    assertThat(notice(List.of("a@example.org", "b")).message(failingBackup())).contains("\nTo: a@example.org, b\n");
  }

  @Test
  void aFloodOfOutputStaysUnder64KiBAndSaysWhatWasLeftOut() {
    Transcript t = Transcript.bounded();
    for (int i = 1; i <= 300; i++) t.lifecycle(T, "PREP UsbBackup: fsck pass " + i + " " + "y".repeat(1000));
    for (int i = 1; i <= 100_000; i++) t.target(true, T, "error " + i + " " + "e".repeat(2000));
    for (int i = 1; i <= 100_000; i++) t.target(false, T, "line " + i + " " + "o".repeat(3000));
    String m = notice(List.of("root")).message(t);
    assertThat(m.getBytes(StandardCharsets.UTF_8).length).isLessThan(64 * 1024);
    assertThat(m.lines()).allMatch(l -> l.getBytes(StandardCharsets.UTF_8).length <= 998, "no line over RFC 5322's 998 octets");
    assertThat(m).containsPattern("\nStandard error, the last \\d+ lines of 100000 \\(\\d+ left out\\):\n");
    assertThat(m).containsPattern("\nStandard output, the last \\d+ lines of 100000 \\(\\d+ left out\\):\n");
    assertThat(m).containsPattern("\nrmonitor's lines, the last \\d+ lines of 300 \\(\\d+ left out\\):\n");
    assertThat(m).contains("error 100000 eee").contains("line 100000 ooo").contains("more characters, see syslog]");
  }

  @Test
  void aSubjectThatIsNotAsciiIsEncodedAsRfc2047Words() {
    String s = "rmonitor <root@merlin> cron.daily/sauvegarde-été-" + "é".repeat(40) + ": JOB Status 2";
    String h = FailureNotice.encoded(s);
    assertThat(h.lines()).allMatch(l -> l.strip().matches("=\\?UTF-8\\?B\\?[A-Za-z0-9+/=]+\\?=") && l.strip().length() <= 75);
    StringBuilder decoded = new StringBuilder();
    for (String w : h.split("\n ")) {
      decoded.append(new String(Base64.getDecoder().decode(w.substring(10, w.length() - 2)), StandardCharsets.UTF_8));
    }
    assertThat(decoded.toString()).isEqualTo(s);
    assertThat(FailureNotice.encoded("plain: JOB Status 1")).isEqualTo("plain: JOB Status 1");
  }

  @Test
  void whereToLookFollowsTheLogDestination() {
    Path fallback = Path.of("/var/log/rmonitor.undelivered");
    assertThat(FailureNotice.whereToLook(job, Destination.parse("syslog"), fallback, Set.of(Path.of("/var/log/messages"))::contains))
        .containsExactly("grep -F '21.daily.backup.etc[10200]' /var/log/messages");
    assertThat(FailureNotice.whereToLook(job, Destination.parse("syslog"), fallback, p -> false))
        .containsExactly("journalctl | grep -F '21.daily.backup.etc[10200]'");
    assertThat(FailureNotice.whereToLook(job, Destination.parse("file:/srv/log/jobs log"), fallback, Set.of(fallback)::contains))
        .containsExactly(
            "grep -F '21.daily.backup.etc[10200]' '/srv/log/jobs log'",
            "grep -F '21.daily.backup.etc[10200]' /var/log/rmonitor.undelivered   (lines the log could not take)");
    assertThat(FailureNotice.whereToLook(job, Destination.parse("tcp://logs.example.org"), fallback, p -> false))
        .containsExactly("grep -F '21.daily.backup.etc[10200]' FILE, on the files of the collector logs.example.org:514");
    assertThat(FailureNotice.shellQuoted("it's")).isEqualTo("'it'\\''s'");
  }
}
