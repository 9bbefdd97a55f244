package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.rmonitor.cli.MailPolicy;
import org.rmonitor.cli.Notice;
import org.rmonitor.log.LogRecord;
import org.rmonitor.proc.BoundedRun.Outcome;

/** When a notice is sent, to whom, and the one WARNING when it cannot be: with a recording runner. */
class NotifierTest {
  record Call(List<String> command, Map<String, String> env, String input) {}

  final List<Call> calls = new ArrayList<>();
  final List<LogRecord> logged = new ArrayList<>();
  Outcome outcome = new Outcome.Exited(0, "");

  /** A notifier for {@code notice}, with /bin/sh standing in for an existing sendmail unless given. */
  Notifier notifier(Notice notice) {
    Job job = Notices.job(notice);
    Transcript t = Transcript.bounded();
    JobLog log = new JobLog(logged::add, job, new PrintStream(new ByteArrayOutputStream()), t);
    t.target(true, java.time.Instant.now(), "tar: Cannot stat");
    return new Notifier(job, log, t,
        (command, env, input) -> {
          calls.add(new Call(command, env, new String(input, StandardCharsets.UTF_8)));
          return outcome;
        },
        "merlin", Optional.of("root"), List.of());
  }

  static Notice notice(MailPolicy when, String mailto, String sendmail, String notify) {
    return new Notice(when, Optional.empty(), Optional.ofNullable(mailto), Optional.ofNullable(sendmail).map(Path::of),
        Optional.ofNullable(notify).map(Path::of), Duration.ofSeconds(60));
  }

  List<String> warnings() {
    return logged.stream().map(LogRecord::message).toList();
  }

  @Test
  void aFailureIsMailedOnceToTheUserWithTheStatusInTheSubject() {
    notifier(notice(MailPolicy.ON_FAILURE, null, "/bin/sh", null)).after(2);
    assertThat(calls).hasSize(1);
    assertThat(calls.getFirst().command()).containsExactly("/bin/sh", "-i", "root");
    assertThat(calls.getFirst().input())
        .contains("\nSubject: rmonitor <root@merlin> cron.daily/21.daily.backup.etc: JOB Status 2\n")
        .contains("tar: Cannot stat");
    assertThat(warnings()).isEmpty();
  }

  @Test
  void successIsMailedOnlyWithAlways() {
    notifier(notice(MailPolicy.ON_FAILURE, null, "/bin/sh", null)).after(0);
    assertThat(calls).isEmpty();
    notifier(notice(MailPolicy.ALWAYS, null, "/bin/sh", null)).after(0);
    assertThat(calls).hasSize(1);
    notifier(notice(MailPolicy.NEVER, null, "/bin/sh", null)).after(3);
    assertThat(calls).hasSize(1);
  }

  @Test
  void anEmptyMailtoMailsNobodyAndSaysNothing() {
    notifier(notice(MailPolicy.ON_FAILURE, "", "/bin/sh", null)).after(2);
    assertThat(calls).isEmpty();
    assertThat(warnings()).isEmpty();
  }

  @Test
  void mailtoAddressesAreSendmailsArguments() {
    notifier(notice(MailPolicy.ON_FAILURE, "ops@example.org,dba@example.org", "/bin/sh", null)).after(1);
    assertThat(calls.getFirst().command()).containsExactly("/bin/sh", "-i", "ops@example.org", "dba@example.org");
    assertThat(calls.getFirst().input()).contains("\nTo: ops@example.org, dba@example.org\n");
  }

  @Test
  void aMissingDefaultSendmailIsOneWarning() {
    Notice n = notice(MailPolicy.ON_FAILURE, null, null, null);
    org.junit.jupiter.api.Assumptions.assumeFalse(java.nio.file.Files.exists(n.sendmailProgram()), "this machine has a sendmail");
    notifier(n).after(2);
    assertThat(calls).isEmpty();
    assertThat(warnings())
        .containsExactly("WARNING MAIL not sent to root: no /usr/sbin/sendmail (install a mail server, or set --sendmail, or --mail never)");
    assertThat(logged.getFirst().severity()).isEqualTo(org.rmonitor.log.Severity.WARNING);
  }

  @Test
  void aFailingOrHangingSendmailIsOneWarning() {
    outcome = new Outcome.Exited(75, "sendmail: cannot connect to mail.example.org");
    notifier(notice(MailPolicy.ON_FAILURE, null, "/bin/sh", null)).after(2);
    outcome = new Outcome.Killed(Duration.ofSeconds(60));
    notifier(notice(MailPolicy.ON_FAILURE, null, "/bin/sh", null)).after(2);
    outcome = new Outcome.NotStarted("Permission denied");
    notifier(notice(MailPolicy.ON_FAILURE, null, "/bin/sh", null)).after(2);
    assertThat(warnings())
        .containsExactly(
            "WARNING MAIL to root: /bin/sh exited with status 75: sendmail: cannot connect to mail.example.org",
            "WARNING MAIL to root: /bin/sh did not end within 60s; killed it",
            "WARNING MAIL to root: cannot run /bin/sh: Permission denied");
  }

  @Test
  void anUnsafeMailtoIsOneWarningAndNoMail() {
    notifier(notice(MailPolicy.ON_FAILURE, "-oQ/tmp", "/bin/sh", null)).after(2);
    assertThat(calls).isEmpty();
    assertThat(warnings()).singleElement().asString().startsWith("WARNING MAIL not sent: MAILTO: address '-oQ/tmp'");
  }

  @Test
  void theNotifyProgramRunsAfterEveryJobWithItsEnvironmentAndTheMessage() {
    notifier(notice(MailPolicy.NEVER, null, null, "/usr/local/bin/ping")).after(0);
    notifier(notice(MailPolicy.ON_FAILURE, "", null, "/usr/local/bin/ping")).after(4);
    assertThat(calls).hasSize(2);
    Call ok = calls.getFirst();
    assertThat(ok.command()).containsExactly("/usr/local/bin/ping");
    assertThat(ok.env())
        .containsExactlyInAnyOrderEntriesOf(
            Map.of("RMONITOR_JOB", "cron.daily/21.daily.backup.etc", "RMONITOR_STATUS", "0", "RMONITOR_PID", "10200", "RMONITOR_HOST", "merlin"));
    assertThat(ok.input()).contains("JOB Status 0").contains("tar: Cannot stat");
    assertThat(calls.get(1).env()).containsEntry("RMONITOR_STATUS", "4");
    outcome = new Outcome.Exited(22, "curl: (22) The requested URL returned error: 404");
    notifier(notice(MailPolicy.NEVER, null, null, "/usr/local/bin/ping")).after(0);
    assertThat(warnings())
        .containsExactly("WARNING NOTIFY /usr/local/bin/ping exited with status 22: curl: (22) The requested URL returned error: 404");
  }
}
