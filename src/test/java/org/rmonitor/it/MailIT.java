package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The failure notice end to end: real jobs through the kernel, a recording stand-in for sendmail
 * (a script that writes its arguments and its stdin to files), and the monitor's lines in rsyslog.
 */
class MailIT extends SandboxTest {
  Path sendmail;

  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
    sendmail =
        Sandbox.executable(
            tmp.resolve("sendmail"),
            """
            #!/bin/sh
            n=$(ls "$SANDBOX" | grep -c '^mail\\..*\\.args$')
            printf '%s\\n' "$@" > "$SANDBOX/mail.$n.args"
            cat > "$SANDBOX/mail.$n.msg"
            """);
  }

  /** Cron's environment with mail on, through the stand-in, and MAILTO as given (null: unset). */
  Map<String, String> mailEnv(String mailto) {
    Map<String, String> env = new HashMap<>();
    env.put("RMONITOR_MAIL", "on-failure");
    env.put("RMONITOR_SENDMAIL", sendmail.toString());
    env.put("MAILTO", mailto);
    return env;
  }

  /** Runs the script, waits for its monitor to exit (it mails after JOB Status), returns its lines. */
  List<String> runToEnd(Path script, Map<String, String> env) throws Exception {
    Sandbox.Result r = box.run(List.of(script.toString()), env);
    assertThat(r.status()).as(r.stderr()).isZero();
    box.awaitJobsEnded(1);
    box.awaitMonitorsGone();
    return Sandbox.tagged(box.syslog.lines());
  }

  /** The mails the stand-in received: [arguments, message] each. */
  List<List<String>> mails() throws Exception {
    try (Stream<Path> files = Files.list(tmp)) {
      return files.filter(f -> f.getFileName().toString().matches("mail\\.\\d+\\.args")).sorted()
          .map(f -> {
            try {
              return List.of(Files.readString(f), Files.readString(Path.of(f.toString().replace(".args", ".msg"))));
            } catch (java.io.IOException e) {
              throw new java.io.UncheckedIOException(e);
            }
          })
          .toList();
    }
  }

  long pid() {
    return box.monitors().getFirst();
  }

  /** Waits until syslog holds a line ending with {@code text}. */
  List<String> awaitLine(String text) {
    return Sandbox.tagged(box.await(l -> l.stream().anyMatch(x -> x.endsWith(text))));
  }

  @Test
  void aFailingJobIsMailedOnceWithItsStderrAndItsStatusInTheSubject() throws Exception {
    Path s = box.script("21.daily.backup.etc", "UsbBackup",
        "echo 'etc/'; echo 'tar: /etc/nonexistent: Cannot stat: No such file or directory' >&2; exit 2");
    List<String> lines = runToEnd(s, mailEnv("ops@example.org,dba@example.org"));
    assertThat(lines).contains("21.daily.backup.etc[" + pid() + "]: JOB Status 2");
    assertThat(mails()).hasSize(1);
    assertThat(mails().getFirst().get(0)).isEqualTo("-i\nops@example.org\ndba@example.org\n");
    String m = mails().getFirst().get(1);
    assertThat(m)
        .contains("\nTo: ops@example.org, dba@example.org\n")
        .contains("\nSubject: rmonitor <" + System.getProperty("user.name") + "@" + hostname() + "> cron.daily/21.daily.backup.etc: JOB Status 2\n")
        .contains("\nAuto-Submitted: auto-generated\n")
        .contains("\nContent-Type: text/plain; charset=UTF-8\n");
    String body = m.substring(m.indexOf("\n\n"));
    assertThat(body)
        .containsPattern("Standard error \\(1 line\\):\n  \\d\\d:\\d\\d:\\d\\d tar: /etc/nonexistent: Cannot stat: No such file or directory\n")
        .containsPattern("Standard output \\(1 line\\):\n  \\d\\d:\\d\\d:\\d\\d etc/\n")
        .contains(" JOB Status 2\n")
        .contains("PREP UsbBackup: EXIT Status  0")
        .contains("grep -F '21.daily.backup.etc[" + pid() + "]' ");
    assertThat(body.indexOf("Standard error")).isLessThan(body.indexOf("Standard output"));
    assertThat(lines).noneMatch(l -> l.contains("WARNING"));
  }

  @Test
  void aSuccessfulJobMailsNobody() throws Exception {
    Path s = box.script("fine", "UsbBackup", "echo all well >&2; exit 0");
    List<String> lines = runToEnd(s, mailEnv("ops@example.org"));
    assertThat(lines.getLast()).isEqualTo("fine[" + pid() + "]: JOB Status 0");
    assertThat(mails()).isEmpty();
  }

  @Test
  void anEmptyMailtoMailsNobody() throws Exception {
    Path s = box.script("quiet", "UsbBackup", "exit 1");
    List<String> lines = runToEnd(s, mailEnv(""));
    assertThat(lines.getLast()).isEqualTo("quiet[" + pid() + "]: JOB Status 1");
    assertThat(mails()).isEmpty();
  }

  @Test
  void anUnsetMailtoMailsTheUserTheJobRunsAs() throws Exception {
    Path s = box.script("mine", "UsbBackup", "exit 1");
    runToEnd(s, mailEnv(null));
    assertThat(mails()).hasSize(1);
    assertThat(mails().getFirst().get(0)).isEqualTo("-i\n" + System.getProperty("user.name") + "\n");
  }

  @Test
  void mailToInTheHashbangOverridesMailto() throws Exception {
    Path s = box.script("paged", "--mail-to=pager@example.org UsbBackup", "exit 1");
    runToEnd(s, mailEnv("ops@example.org"));
    assertThat(mails()).hasSize(1);
    assertThat(mails().getFirst().get(0)).isEqualTo("-i\npager@example.org\n");
  }

  @Test
  void mailAlwaysMailsASuccessAndNeverMailsNothing() throws Exception {
    Path s = box.script("always", "--mail=always UsbBackup", "exit 0");
    runToEnd(s, mailEnv("ops@example.org"));
    assertThat(mails()).singleElement().satisfies(m -> assertThat(m.get(1)).contains(": JOB Status 0\n"));
    Path n = box.script("never", "--mail=never UsbBackup", "exit 1");
    box.run(List.of(n.toString()), mailEnv("ops@example.org"));
    box.awaitJobsEnded(2);
    box.awaitMonitorsGone();
    assertThat(mails()).hasSize(1);
  }

  @Test
  void aMissingDefaultSendmailIsOneWarningAndTheStatusStands() throws Exception {
    Assumptions.assumeFalse(Files.exists(Path.of("/usr/sbin/sendmail")), "this machine has a /usr/sbin/sendmail");
    Map<String, String> env = mailEnv(null);
    env.put("RMONITOR_SENDMAIL", null);
    Path s = box.script("nomta", "UsbBackup", "echo 'disk full' >&2; exit 3");
    Sandbox.Result r = box.run(List.of(s.toString()), env);
    assertThat(r.status()).as("no launch error").isZero();
    assertThat(r.stderr()).doesNotContain("sendmail");
    String me = "nomta[" + pid() + "]: ";
    List<String> lines = awaitLine("WARNING MAIL not sent to " + System.getProperty("user.name")
        + ": no /usr/sbin/sendmail (install a mail server, or set --sendmail, or --mail never)");
    box.awaitMonitorsGone();
    lines = Sandbox.tagged(box.syslog.lines());
    assertThat(lines).filteredOn(l -> l.contains("WARNING")).hasSize(1);
    assertThat(lines).filteredOn(l -> l.contains("JOB Status")).containsExactly(me + "JOB Status 3");
    assertThat(lines.getLast()).startsWith(me + "WARNING MAIL");
    assertThat(box.syslog.detailLines()).contains("local1.warning " + lines.getLast());
  }

  @Test
  void aSendmailThatVanishedAfterLaunchIsOneWarning() throws Exception {
    Path s = box.script("vanished", "UsbBackup", "rm \"$SANDBOX/sendmail\"; exit 4");
    List<String> lines = runToEnd(s, mailEnv("ops@example.org"));
    awaitLine("WARNING MAIL not sent to ops@example.org: no " + sendmail);
    lines = Sandbox.tagged(box.syslog.lines());
    assertThat(lines).filteredOn(l -> l.contains("WARNING")).hasSize(1);
    assertThat(lines).contains("vanished[" + pid() + "]: JOB Status 4");
  }

  @Test
  void aFailingSendmailIsOneWarningWithWhatItSaid() throws Exception {
    Sandbox.executable(sendmail, "#!/bin/sh\ncat >/dev/null\necho 'sendmail: cannot connect to mail.example.org' >&2\nexit 75\n");
    Path s = box.script("refused", "UsbBackup", "exit 1");
    runToEnd(s, mailEnv("ops@example.org"));
    List<String> lines = awaitLine("exited with status 75: sendmail: cannot connect to mail.example.org");
    assertThat(lines).filteredOn(l -> l.contains("WARNING"))
        .containsExactly("refused[" + pid() + "]: WARNING MAIL to ops@example.org: " + sendmail
            + " exited with status 75: sendmail: cannot connect to mail.example.org");
  }

  @Test
  void aSendmailThatHangsIsKilledAfterTheBoundWithAWarning() throws Exception {
    Sandbox.executable(sendmail, "#!/bin/sh\necho $$ > \"$SANDBOX/sendmail.pid\"\nexec sleep 600\n");
    Map<String, String> env = mailEnv("ops@example.org");
    env.put("RMONITOR_MAIL_TIMEOUT", "2");
    Path s = box.script("hangs", "UsbBackup", "exit 1");
    long start = System.nanoTime();
    runToEnd(s, env);
    assertThat(java.time.Duration.ofNanos(System.nanoTime() - start)).isLessThan(java.time.Duration.ofSeconds(20));
    List<String> lines = awaitLine("did not end within 2s; killed it");
    assertThat(lines).filteredOn(l -> l.contains("WARNING"))
        .containsExactly("hangs[" + pid() + "]: WARNING MAIL to ops@example.org: " + sendmail + " did not end within 2s; killed it");
    long sleeper = Long.parseLong(Files.readString(tmp.resolve("sendmail.pid")).strip());
    assertThat(ProcessHandle.of(sleeper).filter(ProcessHandle::isAlive)).as("the hung sendmail is gone").isEmpty();
  }

  @Test
  void theNotifyProgramGetsTheJobsFactsInItsEnvironmentAndTheMessageOnStdin() throws Exception {
    Path notify =
        Sandbox.executable(
            tmp.resolve("notify"),
            "#!/bin/sh\nenv | grep '^RMONITOR_' | sort > \"$SANDBOX/notify.env\"\ncat > \"$SANDBOX/notify.msg\"\n");
    Path s = box.script("pinged", "--notify=" + notify + " UsbBackup", "echo done");
    runToEnd(s, mailEnv("ops@example.org"));
    assertThat(mails()).as("a success is not mailed, but notified").isEmpty();
    assertThat(Files.readAllLines(tmp.resolve("notify.env")))
        .contains(
            "RMONITOR_HOST=" + hostname(),
            "RMONITOR_JOB=cron.daily/pinged",
            "RMONITOR_PID=" + pid(),
            "RMONITOR_STATUS=0");
    assertThat(Files.readString(tmp.resolve("notify.msg")))
        .contains("Subject: rmonitor <")
        .contains("cron.daily/pinged: JOB Status 0")
        .containsPattern("Standard output \\(1 line\\):\n  \\d\\d:\\d\\d:\\d\\d done\n");
  }

  @Test
  void theHealthchecksExamplePingsFailWithTheMessage() throws Exception {
    Path bin = Files.createDirectory(tmp.resolve("bin"));
    Sandbox.executable(bin.resolve("curl"), "#!/bin/sh\nprintf '%s\\n' \"$@\" > \"$SANDBOX/curl.args\"\ncat > \"$SANDBOX/curl.body\"\n");
    Path example = Files.copy(Path.of(System.getProperty("user.dir"), "examples", "notify-healthchecks"), tmp.resolve("notify-healthchecks"));
    Map<String, String> env = mailEnv("");
    env.put("PATH", bin + ":" + System.getenv("PATH"));
    env.put("HC_PING_KEY", "k3y");
    Path s = box.script("21.daily.backup.etc", "--notify=" + example + " UsbBackup", "echo 'tar: failed' >&2; exit 2");
    runToEnd(s, env);
    assertThat(Files.readAllLines(tmp.resolve("curl.args"))).contains("https://hc-ping.com/k3y/21-daily-backup-etc/fail?create=1");
    assertThat(Files.readString(tmp.resolve("curl.body"))).contains("tar: failed").contains("JOB Status 2");
    assertThat(Sandbox.tagged(box.syslog.lines())).noneMatch(l -> l.contains("WARNING"));
  }

  @Test
  void aRealMailServerDeliversTheFailureIntoAMailbox() throws Exception {
    String why = Exim.unavailable();
    Assumptions.assumeTrue(why == null, why);
    Exim exim = Exim.in(tmp);
    Map<String, String> env = mailEnv("ops@example.org");
    env.put("RMONITOR_SENDMAIL", exim.sendmail.toString());
    Path s = box.script("21.daily.backup.etc", "UsbBackup", "echo 'tar: /etc/nonexistent: Cannot stat' >&2; exit 2");
    List<String> lines = runToEnd(s, env);
    assertThat(lines).noneMatch(l -> l.contains("WARNING"));
    String mbox = Files.readString(exim.mbox);
    assertThat(mbox.lines().filter(l -> l.startsWith("From "))).as(Files.readString(exim.log)).hasSize(1);
    assertThat(mbox)
        .contains("\nEnvelope-to: ops@example.org\n")
        .contains("\nSubject: rmonitor <root@" + hostname() + "> cron.daily/21.daily.backup.etc: JOB Status 2\n")
        .contains("\nAuto-Submitted: auto-generated\n")
        .containsPattern("\n  \\d\\d:\\d\\d:\\d\\d tar: /etc/nonexistent: Cannot stat\n")
        .contains("grep -F '21.daily.backup.etc[" + pid() + "]' ");
    assertThat(Files.readString(exim.log)).contains("=> ops <ops@example.org> R=everyone T=mbox").contains("Completed");
  }

  static String hostname() throws Exception {
    String h = Files.readString(Path.of("/proc/sys/kernel/hostname")).strip();
    return h.contains(".") ? h.substring(0, h.indexOf('.')) : h;
  }

}
