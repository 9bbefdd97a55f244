package org.rmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.Destination;

class OptionsParserTest {
  static final Options.Defaults DEFAULTS =
      new Options.Defaults(Path.of("/var/lock"), Path.of("/usr/local/lib/rmonitor"), Path.of("/var/log/rmonitor.undelivered"));
  final Map<String, String> env = new HashMap<>();
  /** Files the test pretends start with #!. */
  final Set<Path> scripts = Set.of(Path.of("/etc/cron.daily/job"));

  Options parse(String... argv) throws UsageException {
    return ((Invocation.Run) OptionsParser.parse(List.of(argv), env, DEFAULTS, scripts::contains)).options();
  }

  @Test
  void theKernelsFormSplitsItsFirstArgumentAndTakesTheNextAsTheScript() throws Exception {
    Options o = parse("-L UsbBackup,DailyBackups /bin/bash", "/etc/cron.daily/job", "a", "b c");
    assertThat(o.longName()).isTrue();
    assertThat(o.resources()).containsExactly("UsbBackup", "DailyBackups");
    assertThat(o.interpreter()).isEqualTo(Path.of("/bin/bash"));
    assertThat(o.script()).isEqualTo(Path.of("/etc/cron.daily/job"));
    assertThat(o.scriptArgs()).containsExactly("a", "b c");
  }

  @Test
  void aOneWordHashbangLooksLikeADirectCallAndStillFindsTheScript() throws Exception {
    Options o = parse("UsbBackup", "/etc/cron.daily/job", "arg");
    assertThat(o.interpreter()).isEqualTo(Path.of("/bin/sh"));
    assertThat(o.script()).isEqualTo(Path.of("/etc/cron.daily/job"));
    assertThat(o.scriptArgs()).containsExactly("arg");
  }

  @Test
  void aDirectCallReadsTheWordAfterTheResourcesAsTheInterpreterWhenItIsNoScript() throws Exception {
    Options o = parse("-L", "UsbBackup", "/bin/bash", "/etc/cron.daily/job", "x");
    assertThat(o.interpreter()).isEqualTo(Path.of("/bin/bash"));
    assertThat(o.script()).isEqualTo(Path.of("/etc/cron.daily/job"));
    assertThat(o.scriptArgs()).containsExactly("x");
    assertThat(parse("UsbBackup", "/tmp/anything").script()).isEqualTo(Path.of("/tmp/anything"));
  }

  @Test
  void defaultsThenEnvironmentThenOptions() throws Exception {
    Options d = parse("UsbBackup", "/etc/cron.daily/job");
    assertThat(d.lockDir()).isEqualTo(Path.of("/var/lock"));
    assertThat(d.exitDir()).isEqualTo(Path.of("/usr/local/lib/rmonitor"));
    assertThat(d.log()).isEqualTo(Destination.parse("syslog"));
    assertThat(d.fallback()).isEqualTo(Path.of("/var/log/rmonitor.undelivered"));
    assertThat(d.grace()).isEqualTo(Duration.ofSeconds(30));

    env.put("RMONITOR_LOCK_DIR", "/run/lock");
    env.put("RMONITOR_LOG", "stderr");
    env.put("RMONITOR_GRACE", "5");
    env.put("RMONITOR_EXIT_DIR", "");
    Options e = parse("UsbBackup", "/etc/cron.daily/job");
    assertThat(e.lockDir()).isEqualTo(Path.of("/run/lock"));
    assertThat(e.log().kind()).isEqualTo(Destination.Kind.STDERR);
    assertThat(e.grace()).isEqualTo(Duration.ofSeconds(5));
    assertThat(e.exitDir()).as("an empty variable is unset").isEqualTo(Path.of("/usr/local/lib/rmonitor"));

    Options o =
        parse("--lock-dir=/tmp/l --log=file:/var/log/jobs --grace 0 --exit-dir /etc/rmonitor UsbBackup", "/etc/cron.daily/job");
    assertThat(o.lockDir()).isEqualTo(Path.of("/tmp/l"));
    assertThat(o.log()).isEqualTo(new Destination(Destination.Kind.FILE, "/var/log/jobs"));
    assertThat(o.grace()).isZero();
    assertThat(o.exitDir()).isEqualTo(Path.of("/etc/rmonitor"));
  }

  @Test
  void aResourceListNeverStartsWithADash() {
    assertThatThrownBy(() -> parse("--lock", "UsbBackup", "/etc/cron.daily/job"))
        .isInstanceOf(UsageException.class)
        .hasMessageContaining("lock");
    assertThatThrownBy(() -> parse("-Q UsbBackup", "/etc/cron.daily/job"))
        .hasMessageContaining("-Q");
  }

  @Test
  void helpWinsOverEverythingElse() throws Exception {
    assertThat(OptionsParser.parse(List.of("-h", "bad"), env, DEFAULTS, p -> false)).isInstanceOf(Invocation.Help.class);
    assertThat(OptionsParser.parse(List.of("--version"), env, DEFAULTS, p -> false)).isInstanceOf(Invocation.Version.class);
  }

  @Test
  void aTimeoutIsATimeOrNone() throws Exception {
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").timeout()).isEmpty();
    assertThat(parse("--timeout=90 UsbBackup", "/etc/cron.daily/job").timeout()).contains(Duration.ofSeconds(90));
    assertThat(parse("--timeout=45m UsbBackup", "/etc/cron.daily/job").timeout()).contains(Duration.ofMinutes(45));
    env.put("RMONITOR_TIMEOUT", "6h");
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").timeout()).contains(Duration.ofHours(6));
    assertThat(parse("--timeout=none UsbBackup", "/etc/cron.daily/job").timeout()).isEmpty();
    for (String bad : List.of("0", "1d", "-5", "soon", "1.5h")) {
      assertThatThrownBy(() -> parse("--timeout=" + bad + " UsbBackup", "/etc/cron.daily/job"))
          .hasMessage("--timeout '" + bad + "' must be a time like 90, 90s, 45m or 6h, or none");
    }
  }

  @Test
  void anOverlapPolicyIsAllowSkipOrWait() throws Exception {
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").overlap()).isEqualTo(OverlapPolicy.ALLOW);
    assertThat(parse("--overlap=skip UsbBackup", "/etc/cron.daily/job").overlap()).isEqualTo(OverlapPolicy.SKIP);
    env.put("RMONITOR_OVERLAP", "wait");
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").overlap()).isEqualTo(OverlapPolicy.WAIT);
    assertThatThrownBy(() -> parse("--overlap=never UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--overlap 'never' must be allow, skip or wait");
  }

  @Test
  void theNoticeDefaultsAreCronsFailureMailThroughUsrSbinSendmail() throws Exception {
    Notice n = parse("UsbBackup", "/etc/cron.daily/job").notice();
    assertThat(n.mail()).isEqualTo(MailPolicy.ON_FAILURE);
    assertThat(n.mailTo()).isEmpty();
    assertThat(n.cronMailto()).as("MAILTO unset").isEmpty();
    assertThat(n.sendmail()).as("the default is not given on purpose").isEmpty();
    assertThat(n.sendmailProgram()).isEqualTo(Path.of("/usr/sbin/sendmail"));
    assertThat(n.notifyProgram()).isEmpty();
    assertThat(n.timeout()).isEqualTo(Duration.ofSeconds(60));
    assertThat(n.wanted()).isTrue();
  }

  @Test
  void anEmptyMailtoIsKeptApartFromAnUnsetOne() throws Exception {
    env.put("MAILTO", "");
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").notice().cronMailto()).contains("");
    env.put("MAILTO", "ops@example.org,root");
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").notice().cronMailto()).contains("ops@example.org,root");
  }

  @Test
  void noticeOptionsAndTheirVariables() throws Exception {
    Notice o =
        parse("--mail=always --mail-to a@example.org,b --sendmail=/usr/bin/msmtp --notify /usr/local/bin/ping --mail-timeout=5 UsbBackup",
                "/etc/cron.daily/job")
            .notice();
    assertThat(o.mail()).isEqualTo(MailPolicy.ALWAYS);
    assertThat(o.mailTo()).contains(List.of("a@example.org", "b"));
    assertThat(o.sendmail()).contains(Path.of("/usr/bin/msmtp"));
    assertThat(o.notifyProgram()).contains(Path.of("/usr/local/bin/ping"));
    assertThat(o.timeout()).isEqualTo(Duration.ofSeconds(5));

    env.put("RMONITOR_MAIL", "never");
    env.put("RMONITOR_MAILTO", "ops@example.org, root");
    env.put("RMONITOR_SENDMAIL", "/usr/sbin/exim4");
    env.put("RMONITOR_NOTIFY", "/bin/true");
    env.put("RMONITOR_MAIL_TIMEOUT", "120");
    Notice e = parse("UsbBackup", "/etc/cron.daily/job").notice();
    assertThat(e.mail()).isEqualTo(MailPolicy.NEVER);
    assertThat(e.mailTo()).contains(List.of("ops@example.org", "root"));
    assertThat(e.sendmail()).contains(Path.of("/usr/sbin/exim4"));
    assertThat(e.notifyProgram()).contains(Path.of("/bin/true"));
    assertThat(e.timeout()).isEqualTo(Duration.ofSeconds(120));
    assertThat(e.wanted()).as("never mails, but notifies").isTrue();
    env.remove("RMONITOR_NOTIFY");
    assertThat(parse("UsbBackup", "/etc/cron.daily/job").notice().wanted()).isFalse();
  }

  @Test
  void badNoticeSettingsAreNamed() {
    assertThatThrownBy(() -> parse("--mail=sometimes UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--mail 'sometimes' must be on-failure, always or never");
    assertThatThrownBy(() -> parse("--mail-to=-oQ/tmp UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--mail-to: address '-oQ/tmp' in '-oQ/tmp' starts with '-': sendmail would read it as an option");
    assertThatThrownBy(() -> parse("--mail-to=, UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--mail-to: ',' names no mail address");
    assertThatThrownBy(() -> parse("--sendmail=sendmail UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--sendmail 'sendmail' must be an absolute path");
    assertThatThrownBy(() -> parse("--mail-timeout=0 UsbBackup", "/etc/cron.daily/job"))
        .hasMessage("--mail-timeout '0' must be whole seconds, like 60");
    env.put("RMONITOR_NOTIFY", "notify.sh");
    assertThatThrownBy(() -> parse("UsbBackup", "/etc/cron.daily/job"))
        .isInstanceOf(UsageException.class)
        .hasMessage("RMONITOR_NOTIFY 'notify.sh' must be an absolute path");
  }

  @Test
  void anAddressListIsCommaSeparatedWithNoOptionsOrHeadersSmuggledIn() throws Exception {
    assertThat(AddressList.parse("root")).containsExactly("root");
    assertThat(AddressList.parse(" a@example.org , b@example.org,")).containsExactly("a@example.org", "b@example.org");
    assertThatThrownBy(() -> AddressList.parse("root,-t")).hasMessageContaining("'-t'").hasMessageContaining("option");
    assertThatThrownBy(() -> AddressList.parse("root\nBcc: x@example.org"))
        .hasMessage("address 'root?Bcc: x@example.org' holds a blank or a control character");
    assertThatThrownBy(() -> AddressList.parse("John Doe <j@example.org>")).hasMessageContaining("blank");
    assertThatThrownBy(() -> AddressList.parse("  ")).hasMessage("'  ' names no mail address");
  }
}
