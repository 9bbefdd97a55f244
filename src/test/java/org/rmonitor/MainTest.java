package org.rmonitor;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every refusal of SPEC §2, in process: one line on stderr naming what is wrong and where, the
 * sysexits code, nothing on stdout, and nothing started or created.
 */
class MainTest {
  @TempDir Path tmp;
  Path exits;
  Path locks;
  Path script;
  final Map<String, String> env = new HashMap<>();
  final ByteArrayOutputStream out = new ByteArrayOutputStream();
  final ByteArrayOutputStream err = new ByteArrayOutputStream();

  @BeforeEach
  void setUp() throws IOException {
    exits = Files.createDirectory(tmp.resolve("exits"));
    locks = Files.createDirectory(tmp.resolve("lock"));
    script = executable(Files.createDirectory(tmp.resolve("cron.daily")).resolve("job"), "#!/bin/sh\ntrue\n");
    executable(exits.resolve("UsbBackup.exit"), "#!/bin/sh\n");
    env.put("RMONITOR_LOCK_DIR", locks.toString());
    env.put("RMONITOR_EXIT_DIR", exits.toString());
    env.put("RMONITOR_LOG", "file:" + tmp.resolve("log"));
    env.put("RMONITOR_FALLBACK", tmp.resolve("undelivered").toString());
  }

  static Path executable(Path p, String text) throws IOException {
    Files.writeString(p, text);
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
    return p;
  }

  int run(String... args) {
    return Main.run(args, env, new PrintStream(out, true, StandardCharsets.UTF_8), new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  /** Asserts the run was refused with {@code code} and one stderr line containing {@code parts}. */
  void refused(int code, String[] args, String... parts) throws IOException {
    assertThat(run(args)).as(err.toString()).isEqualTo(code);
    String e = err.toString(StandardCharsets.UTF_8);
    assertThat(e.lines()).hasSize(1);
    assertThat(e).startsWith("rmonitor: ").contains(parts).doesNotContain("Exception", "\tat ");
    assertThat(out.size()).isZero();
    try (var files = Files.list(locks)) {
      assertThat(files).isEmpty();
    }
    assertThat(tmp.resolve("log")).doesNotExist();
  }

  String[] args(String... words) {
    List<String> a = new ArrayList<>(List.of(words));
    return a.stream().map(w -> w.replace("SCRIPT", script.toString())).toArray(String[]::new);
  }

  @Test
  void thePrefixTheWrapperNamesIsResolvedAsPwdMinusPWould() throws IOException {
    Path real = Files.createDirectories(tmp.resolve("opt/rmonitor"));
    Files.createDirectories(real.resolve("bin"));
    Path link = Files.createSymbolicLink(tmp.resolve("link"), real);
    assertThat(Main.prefix(link + "/bin/..")).isEqualTo(real.toRealPath().toString());
    assertThat(Main.prefix("/no/such/prefix")).isEqualTo("/no/such/prefix");
  }

  @Test
  void helpAndVersionGoToStdout() {
    assertThat(run("--help")).isZero();
    assertThat(out.toString()).startsWith("Usage: rmonitor [OPTIONS] RESOURCE[,RESOURCE...]");
    out.reset();
    assertThat(run("-V")).isZero();
    assertThat(out.toString()).matches("rmonitor \\d+\\.\\d+\\.\\d+\\n");
    assertThat(err.size()).isZero();
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "Usb SCRIPT                     | resource name 'Usb' in 'Usb'",
        "UsbBackupDiskNumberOne1 SCRIPT | resource name 'UsbBackupDiskNumberOne1'",
        "Usb.Backup SCRIPT              | resource name 'Usb.Backup'",
        "UsbBackup,,DailyBackups SCRIPT | empty resource name in 'UsbBackup,,DailyBackups'",
        "UsbBackup,UsbBackup SCRIPT     | resource 'UsbBackup' is listed twice",
        "UsbBackup                      | no script after the resource list 'UsbBackup'",
        "--frobnicate UsbBackup SCRIPT  | unknown option '--frobnicate'",
        "UsbBackup bash SCRIPT          | interpreter 'bash' must be a path, like /bin/bash",
        "--grace soon UsbBackup SCRIPT  | --grace 'soon' must be whole seconds",
        "--log syslog:x UsbBackup SCRIPT | --log: log destination 'syslog:x' is none of",
        "--log udp://:514 UsbBackup SCRIPT | log destination 'udp://:514' must be udp://HOST[:PORT]",
        "--log tcp://h/x UsbBackup SCRIPT | log destination 'tcp://h/x' must be tcp://HOST[:PORT]",
        "--lock-dir lock UsbBackup SCRIPT | --lock-dir 'lock' must be an absolute path",
        "--mail=weekly UsbBackup SCRIPT | --mail 'weekly' must be on-failure, always or never",
        "--mail-to=-t UsbBackup SCRIPT | --mail-to: address '-t' in '-t' starts with '-'",
        "--sendmail=msmtp UsbBackup SCRIPT | --sendmail 'msmtp' must be an absolute path",
        "--notify=ping.sh UsbBackup SCRIPT | --notify 'ping.sh' must be an absolute path",
        "--log tcp://h:99999 UsbBackup SCRIPT | log destination 'tcp://h:99999': port 99999 is not between 1 and 65535",
        "--log tcp://h:0 UsbBackup SCRIPT | port 0 is not between 1 and 65535",
        "--log tls://h?framing=rfc UsbBackup SCRIPT | must be tls://HOST[:PORT][?framing=lf]",
        "--log udp://h?framing=lf UsbBackup SCRIPT | must be udp://HOST[:PORT]",
        "--max-message 479 UsbBackup SCRIPT | --max-message '479' must be a number of bytes from 480 to 65000",
        "--max-message 1k UsbBackup SCRIPT | --max-message '1k' must be a number of bytes",
        "--tls-ca ca.pem UsbBackup SCRIPT | --tls-ca 'ca.pem' must be an absolute path",
      })
  void usageErrorsExit64(String words, String message) throws IOException {
    refused(64, args(words.split(" ")), message);
  }

  @Test
  void noArgumentsAtAll() throws IOException {
    refused(64, new String[0], "no resource list given");
  }

  @Test
  void theKernelsOneArgumentWithTooManyWords() throws IOException {
    refused(64, args("-L UsbBackup /bin/sh extra", "SCRIPT"), "has more than one word after the resource list");
  }

  @Test
  void environmentSettingsAreNamedWhenWrong() throws IOException {
    env.put("RMONITOR_GRACE", "-1");
    refused(64, args("UsbBackup", "SCRIPT"), "RMONITOR_GRACE '-1' must be whole seconds");
  }

  @Test
  void aMissingScript() throws IOException {
    refused(66, args("UsbBackup", "/bin/sh", tmp + "/nope"), "script " + tmp + "/nope: no such file");
  }

  @Test
  void aScriptThatIsADirectory() throws IOException {
    refused(66, args("UsbBackup", tmp.toString()), "script " + tmp + ": not a regular file");
  }

  @Test
  void aMissingInterpreter() throws IOException {
    refused(66, args("UsbBackup /bin/nosuchshell", "SCRIPT"), "interpreter /bin/nosuchshell: no such file");
  }

  @Test
  void anInterpreterThatCannotBeExecuted() throws IOException {
    Path text = Files.writeString(tmp.resolve("notexec"), "hello");
    refused(66, args("UsbBackup " + text, "SCRIPT"), "interpreter " + text + ": not an executable file");
  }

  @Test
  void anInterpreterThatIsItselfAnRmonitorScript() throws IOException {
    Path other = executable(tmp.resolve("other"), "#!/usr/local/bin/rmonitor UsbBackup\necho\n");
    refused(66, args("UsbBackup " + other, "SCRIPT"), "is itself an rmonitor script: it would start another rmonitor");
  }

  @Test
  void aMissingExitProgram() throws IOException {
    refused(78, args("UsbBackup,DailyBackups", "SCRIPT"),
        "exit program for resource DailyBackups: " + exits.resolve("DailyBackups.exit") + ": no such file");
  }

  @Test
  void anExitProgramWritableByOthers() throws IOException {
    Files.setPosixFilePermissions(exits.resolve("UsbBackup.exit"), PosixFilePermissions.fromString("rwxrwxr-x"));
    refused(78, args("UsbBackup", "SCRIPT"), "UsbBackup.exit is writable by others (mode 775)");
  }

  @Test
  void anExitProgramThatIsNotExecutable() throws IOException {
    Files.setPosixFilePermissions(exits.resolve("UsbBackup.exit"), PosixFilePermissions.fromString("rw-r--r--"));
    refused(78, args("UsbBackup", "SCRIPT"), "UsbBackup.exit: not executable");
  }

  @Test
  void anExitDirectoryWritableByOthersWithoutTheStickyBit() throws IOException {
    Files.setPosixFilePermissions(exits, PosixFilePermissions.fromString("rwxrwxrwx"));
    refused(78, args("UsbBackup", "SCRIPT"), exits + " is writable by others (mode 777)");
  }

  @Test
  void anExitProgramOwnedBySomeoneElse() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(org.rmonitor.resource.TrustedPath.euid() == 0, "needs root to chown");
    Files.setAttribute(exits.resolve("UsbBackup.exit"), "unix:uid", 65534);
    refused(78, args("UsbBackup", "SCRIPT"), "is owned by uid 65534, not by root");
  }

  @Test
  void aMissingLockDirectory() throws IOException {
    env.put("RMONITOR_LOCK_DIR", tmp + "/nolocks");
    refused(78, args("UsbBackup", "SCRIPT"), "lock directory " + tmp + "/nolocks: no such directory");
  }

  @Test
  void aLockFileThatIsASymlink() throws IOException {
    Files.createSymbolicLink(locks.resolve("rmonitor.UsbBackup.lock"), Path.of("/etc/passwd"));
    assertThat(run(args("UsbBackup", "SCRIPT"))).isEqualTo(78);
    assertThat(err.toString()).isEqualTo("rmonitor: lock file " + locks + "/rmonitor.UsbBackup.lock: is a symlink; refusing it\n");
  }

  @Test
  void aLockFileThatIsNotARegularFile() throws IOException {
    Files.createDirectory(locks.resolve("rmonitor.UsbBackup.lock"));
    assertThat(run(args("UsbBackup", "SCRIPT"))).isEqualTo(78);
    assertThat(err.toString()).contains("rmonitor.UsbBackup.lock: not a regular file; refusing it");
  }

  @Test
  void aLogFileInAMissingDirectory() throws IOException {
    env.put("RMONITOR_LOG", "file:" + tmp + "/nodir/log");
    refused(78, args("UsbBackup", "SCRIPT"), "log file " + tmp + "/nodir/log: directory " + tmp + "/nodir does not exist");
  }

  @Test
  void aSendmailNamedOnPurposeMustBeThere() throws IOException {
    refused(78, args("--sendmail=" + tmp + "/msmtp", "UsbBackup", "SCRIPT"), "sendmail program " + tmp + "/msmtp: no such file");
  }

  @Test
  void aSendmailFromTheEnvironmentMustBeThereToo() throws IOException {
    env.put("RMONITOR_SENDMAIL", tmp + "/msmtp");
    refused(78, args("UsbBackup", "SCRIPT"), "sendmail program " + tmp + "/msmtp: no such file");
  }

  @Test
  void aNotifyProgramThatCannotBeExecuted() throws IOException {
    Path text = Files.writeString(tmp.resolve("ping"), "curl https://hc-ping.com/x\n");
    refused(78, args("--notify=" + text, "UsbBackup", "SCRIPT"), "notify program " + text + ": not executable");
  }

  @Test
  void aLogFileThatIsADirectory() throws IOException {
    env.put("RMONITOR_LOG", "file:" + tmp);
    refused(78, args("UsbBackup", "SCRIPT"), "log file " + tmp + ": is a directory");
  }

  @Test
  void aFallbackFileThatIsADirectory() throws IOException {
    env.put("RMONITOR_FALLBACK", tmp.toString());
    refused(78, args("UsbBackup", "SCRIPT"), "fallback file " + tmp + ": is a directory");
  }

  @Test
  void aFallbackFileThatIsASymlinkIsRefusedBeforeTheMonitorsStderrIsAppendedToIt() throws IOException {
    Path link = Files.createSymbolicLink(tmp.resolve("undelivered.link"), tmp.resolve("elsewhere"));
    env.put("RMONITOR_FALLBACK", link.toString());
    refused(78, args("UsbBackup", "SCRIPT"), "fallback file " + link + ": cannot open (a symlink?)");
    assertThat(Files.exists(tmp.resolve("elsewhere"))).isFalse();
  }

  @Test
  void aTlsCaFileThatIsMissingOrNoCertificates() throws IOException {
    env.put("RMONITOR_LOG", "tls://127.0.0.1:1");
    refused(78, args("--tls-ca", tmp + "/ca.pem", "UsbBackup", "SCRIPT"), "TLS CA file " + tmp + "/ca.pem: no such file");
    err.reset();
    Files.writeString(tmp.resolve("ca.pem"), "not a certificate\n");
    refused(78, args("--tls-ca", tmp + "/ca.pem", "UsbBackup", "SCRIPT"), "TLS CA file " + tmp + "/ca.pem: not PEM certificates");
  }
}
