package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** One job at a time, exec'd through the kernel or typed by hand, against a real rsyslogd. */
class JobIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "echo \"$1 $RMONITOR_RESOURCE $RMONITOR_PHASE $RMONITOR_JOB $RMONITOR_PID\"");
  }

  /** Runs a command, waits for its one job to end, and returns that job's lines as TAG: MSG. */
  private List<String> job(List<String> command) throws Exception {
    Sandbox.Result r = box.run(command);
    assertThat(r.status()).as(r.stderr()).isZero();
    box.awaitJobsEnded(1);
    box.awaitMonitorsGone();
    return Sandbox.tagged(box.syslog.lines());
  }

  private long pid() {
    return box.monitors().getFirst();
  }

  @Test
  void longNameLogsRmonitorsLinesUnderItsOwnIdentAndTheScriptsUnderTheJobs() throws Exception {
    Path s = box.script("20.daily.backup.etc", "-L UsbBackup /bin/sh", "echo from the script");
    List<String> lines = job(List.of(s.toString()));
    String job = "20.daily.backup.etc[" + pid() + "]";
    assertThat(lines)
        .containsExactly(
            "cron.daily: JOB " + job + " Launched",
            "rmonitor: " + job + ": JOB Begins",
            "rmonitor: " + job + ": PREP UsbBackup: EXIT Begins",
            "rmonitor: " + job + ": PREP UsbBackup: PREP UsbBackup PREP cron.daily/20.daily.backup.etc " + pid(),
            "rmonitor: " + job + ": PREP UsbBackup: EXIT Status  0",
            "rmonitor: " + job + ": PROCESSING Begins",
            job + ": from the script",
            "rmonitor: " + job + ": PROCESSING Status 0",
            "rmonitor: " + job + ": POST UsbBackup: EXIT Begins",
            "rmonitor: " + job + ": POST UsbBackup: POST UsbBackup POST cron.daily/20.daily.backup.etc " + pid(),
            "rmonitor: " + job + ": POST UsbBackup: EXIT Status  0",
            "rmonitor: " + job + ": JOB Status 0");
  }

  @Test
  void scriptArgumentsArePassedOnAndStderrIsLoggedAtErr() throws Exception {
    Path s =
        box.script(
            "args", "UsbBackup /bin/bash", "printf '<%s>' \"$@\"; echo; echo 'to stderr' >&2");
    List<String> lines = job(List.of(s.toString(), "one", "two words", ""));
    assertThat(lines).contains("args[" + pid() + "]: <one><two words><>", "args[" + pid() + "]: to stderr");
    assertThat(box.syslog.detailLines())
        .contains("local1.err args[" + pid() + "]: to stderr")
        .contains("local1.info args[" + pid() + "]: <one><two words><>");
  }

  @Test
  void theDefaultInterpreterIsBinSh() throws Exception {
    Path s = box.script("default", "UsbBackup", "cat /proc/$$/comm");
    assertThat(job(List.of(s.toString()))).contains("default[" + pid() + "]: sh");
  }

  @Test
  void theInterpreterNamedInTheHashbangRunsTheScript() throws Exception {
    Path s = box.script("named", "UsbBackup /bin/bash", "cat /proc/$$/comm");
    assertThat(job(List.of(s.toString()))).contains("named[" + pid() + "]: bash");
  }

  @Test
  void theDirectFormTakesSeparateWords() throws Exception {
    Path s = Sandbox.executable(tmp.resolve("cron.daily/plain"), "printf '<%s>' \"$0\" \"$@\"\n");
    List<String> lines =
        job(List.of(Sandbox.RMONITOR.toString(), "-L", "UsbBackup", "/bin/bash", s.toString(), "x"));
    assertThat(lines).contains("plain[" + pid() + "]: <" + s + "><x>");
    assertThat(lines).contains("rmonitor: plain[" + pid() + "]: JOB Status 0");
  }

  @Test
  void aDirectCallOfAHashbangScriptWithArgumentsTakesItAsTheScript() throws Exception {
    Path s = box.script("withargs", "UsbBackup /bin/bash", "printf '<%s>' \"$@\"");
    List<String> lines = job(List.of(Sandbox.RMONITOR.toString(), "UsbBackup", s.toString(), "a", "b"));
    assertThat(lines).contains("withargs[" + pid() + "]: <a><b>");
  }

  @Test
  void aFailingPrepSkipsTheTargetAndTheNextJobTriesPrepAgain() throws Exception {
    box.exit("FailingDisk", "echo 'disk not found' >&2; exit 3");
    Path s = box.script("needsdisk", "UsbBackup,FailingDisk /bin/sh", "echo must not run");
    List<String> lines = job(List.of(s.toString()));
    String me = "needsdisk[" + pid() + "]: ";
    assertThat(lines)
        .contains(me + "PREP FailingDisk: disk not found", me + "PREP FailingDisk: EXIT Status  3")
        .doesNotContain(me + "PROCESSING Begins", me + "must not run");
    // What was acquired before the failure is released, in reverse order.
    assertThat(lines.subList(lines.indexOf(me + "PREP FailingDisk: EXIT Status  3"), lines.size()))
        .containsExactly(
            me + "PREP FailingDisk: EXIT Status  3",
            me + "POST UsbBackup: EXIT Begins",
            me + "POST UsbBackup: POST UsbBackup POST cron.daily/needsdisk " + pid(),
            me + "POST UsbBackup: EXIT Status  0",
            me + "JOB Status 3");
    assertThat(box.syslog.detailLines()).contains("local1.err " + me + "PREP FailingDisk: EXIT Status  3");
    assertThat(box.lockFile("FailingDisk")).contains("prepared no").doesNotContain("holder");

    box.exit("FailingDisk", "echo 'found it'");
    box.run(List.of(s.toString()));
    List<String> second = Sandbox.tagged(box.awaitJobsEnded(2));
    assertThat(second.stream().filter(l -> l.endsWith("PREP FailingDisk: found it"))).hasSize(1);
    assertThat(second.getLast()).endsWith("JOB Status 0");
  }

  @Test
  void aFailingTargetsStatusIsTheJobsAndADeathBySignalIs128PlusN() throws Exception {
    Path fails = box.script("fails", "UsbBackup", "exit 5");
    Path killed = box.script("killed", "UsbBackup", "kill -KILL $$");
    box.run(List.of(fails.toString()));
    box.run(List.of(killed.toString()));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2));
    long f = box.monitors().get(0);
    long k = box.monitors().get(1);
    assertThat(lines)
        .contains("fails[" + f + "]: PROCESSING Status 5", "fails[" + f + "]: JOB Status 5")
        .contains("killed[" + k + "]: PROCESSING Status 137", "killed[" + k + "]: JOB Status 137");
    assertThat(box.syslog.detailLines())
        .contains("local1.err fails[" + f + "]: JOB Status 5", "local1.err killed[" + k + "]: PROCESSING Status 137");
  }

  @Test
  void aFailingPostIsTheJobsStatusWhenTheTargetSucceeded() throws Exception {
    box.exit("Unmounter", "[ \"$1\" = POST ] && { echo 'umount: target is busy' >&2; exit 32; }; exit 0");
    Path s = box.script("umount", "Unmounter", "true");
    List<String> lines = job(List.of(s.toString()));
    String me = "umount[" + pid() + "]: ";
    assertThat(lines).contains(me + "POST Unmounter: EXIT Status  32", me + "PROCESSING Status 0");
    assertThat(lines.getLast()).isEqualTo(me + "JOB Status 32");
  }

  @Test
  void outputIsSplitIntoLinesEscapedAndNeverCut() throws Exception {
    Path s =
        box.script(
            "noisy",
            "UsbBackup /bin/bash",
            """
            printf 'crlf\\r\\nempty next\\n\\ntab\\there\\n'
            printf 'bad \\xff\\xfe utf8 \\033[31mred\\n'
            printf 'forged\\nJan  1 00:00:00 host sshd[1]: fake\\n'
            printf '%s\\n' 'C:\\dir \\x0a is text' '[1/2] not a part'
            head -c 5000 /dev/zero | tr '\\0' 'x'; echo
            printf 'no newline at end'""");
    List<String> lines = job(List.of(s.toString()));
    String me = "noisy[" + pid() + "]: ";
    assertThat(lines)
        .contains(
            me + "crlf",
            me + "empty next",
            me + "tab\\x09here",
            me + "bad \\xff\\xfe utf8 \\x1b[31mred",
            me + "forged",
            me + "C:\\\\dir \\\\x0a is text",
            me + "\\x5b1/2] not a part",
            me + "no newline at end");
    // The forged line is logged as the job's, not as sshd's.
    assertThat(lines).contains(me + "Jan  1 00:00:00 host sshd[1]: fake");
    // 5000 bytes arrive whole, in order, in marked parts that each fit a 1 KiB daemon.
    java.util.regex.Pattern part = java.util.regex.Pattern.compile("\\[(\\d+)/(\\+|\\d+)\\] (x+)");
    List<java.util.regex.Matcher> parts =
        lines.stream().filter(l -> l.startsWith(me)).map(l -> part.matcher(l.substring(me.length()))).filter(java.util.regex.Matcher::matches).toList();
    assertThat(parts).hasSize(6);
    StringBuilder joined = new StringBuilder();
    for (int k = 0; k < parts.size(); k++) {
      assertThat(parts.get(k).group(1)).isEqualTo(Integer.toString(k + 1));
      assertThat(parts.get(k).group(2)).isEqualTo(k + 1 == parts.size() ? Integer.toString(k + 1) : "+");
      joined.append(parts.get(k).group(3));
      // The datagram: "<PRI>Mmm dd hh:mm:ss " + tag + message, at most 1000 bytes.
      assertThat(21 + me.length() + parts.get(k).group().length()).isLessThanOrEqualTo(1000);
    }
    assertThat(joined.toString()).isEqualTo("x".repeat(5000));
  }

  @Test
  void leftoverBackgroundProcessesKeepTheJobAndItsResourceUntilTheyEnd() throws Exception {
    box.exit("Tracked", "echo \"$1 at $(date +%s%N)\" >> \"$SANDBOX/tracked.runs\"");
    Path s =
        box.script(
            "leaves",
            "Tracked /bin/sh",
            """
            ( exec >/dev/null 2>&1; while [ ! -e "$SANDBOX/gate" ]; do sleep 0.05; done; echo done > "$SANDBOX/bg.out" ) &
            echo started background""");
    box.run(List.of(s.toString()));
    List<String> lines = box.await(l -> Sandbox.count(l, java.util.regex.Pattern.compile("WARNING PROCESSING")) == 1);
    assertThat(lines.getLast()).contains("WARNING PROCESSING: the script ended with status 0; waiting for 1 process(es)");
    assertThat(Files.readAllLines(tmp.resolve("tracked.runs"))).hasSize(1); // no POST yet
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(1);
    assertThat(Files.readAllLines(tmp.resolve("tracked.runs"))).hasSize(2);
    assertThat(tmp.resolve("bg.out")).exists();
  }

  @Test
  void theLauncherWarnsWhenTheSyslogSocketIsMissingAndLinesGoToTheFallbackFile() throws Exception {
    Path s = box.script("nosyslog", "UsbBackup", "echo kept");
    Sandbox.Result r =
        box.run(List.of(s.toString()), java.util.Map.of("RMONITOR_LOG", "unix:" + tmp.resolve("missing.sock")));
    assertThat(r.stderr()).contains("WARNING log socket " + tmp.resolve("missing.sock") + " is not there");
    box.awaitMonitorsGone();
    List<String> kept = Files.readAllLines(box.fallback);
    assertThat(kept).anyMatch(l -> l.endsWith(" nosyslog[" + pid() + "]: kept"));
    assertThat(kept.getLast()).endsWith(" nosyslog[" + pid() + "]: JOB Status 0");
    // One WARNING says why, then the lines, the first with its original time.
    assertThat(kept.getFirst())
        .endsWith(
            " nosyslog[" + pid() + "]: WARNING log unix:" + tmp.resolve("missing.sock") + " cannot be reached: connect("
                + tmp.resolve("missing.sock") + "): No such file or directory; lines go to " + box.fallback
                + " until it takes them again");
    assertThat(kept.get(1)).matches("[A-Z][a-z]{2} [ 1-3][0-9] \\d\\d:\\d\\d:\\d\\d \\S+ cron\\.daily: JOB nosyslog\\[\\d+\\] Launched");
    assertThat(kept).filteredOn(l -> l.contains("WARNING")).hasSize(1);
  }

  @Test
  void stampsAreInTheLocalTimeOfTheJobsTimeZoneAsTheCLibraryReadsIt() throws Exception {
    // Chatham's offset, +13:45 or +12:45, leaves no minute of UTC's in place.
    java.time.ZoneId chatham = java.time.ZoneId.of("Pacific/Chatham");
    Path log = tmp.resolve("chatham.log");
    Path s = box.script("tz", "UsbBackup", "true");
    java.time.Instant before = java.time.Instant.now().minusSeconds(1);
    Sandbox.Result r = box.run(List.of(s.toString()), java.util.Map.of("TZ", "Pacific/Chatham", "RMONITOR_LOG", "file:" + log));
    assertThat(r.status()).as(r.stderr()).isZero();
    box.awaitMonitorsGone();
    java.time.Instant after = java.time.Instant.now().plusSeconds(1);
    List<String> lines = Files.readAllLines(log);
    assertThat(lines).last().asString().endsWith("JOB Status 0");
    java.time.format.DateTimeFormatter stamp =
        java.time.format.DateTimeFormatter.ofPattern("yyyy MMM ppd HH:mm:ss", java.util.Locale.ENGLISH);
    for (String line : lines) {
      java.time.Instant at = java.time.LocalDateTime.parse(before.atZone(chatham).getYear() + " " + line.substring(0, 15), stamp)
          .atZone(chatham).toInstant();
      assertThat(at).as(line).isBetween(before.truncatedTo(java.time.temporal.ChronoUnit.SECONDS), after);
    }
  }

  @Test
  void logToStderrWritesToTheCallersStderrWhichThenWaitsForTheJob() throws Exception {
    Path s = box.script("tostderr", "--log=stderr UsbBackup", "echo visible");
    // cat sees EOF, and so the shell returns, only when the monitor, the pipe's last writer, ends.
    // (A Java Process would not do: the JDK closes a child's pipes when the child itself exits.)
    Sandbox.Result r = box.run(List.of("/bin/sh", "-c", "\"$0\" 2>&1 >/dev/null | cat", s.toString()));
    List<String> lines = r.stdout().lines().toList();
    assertThat(lines.getFirst()).matches("cron\\.daily: JOB tostderr\\[\\d+\\] Launched");
    assertThat(lines).anyMatch(l -> l.matches("\\w{3} [ \\d]\\d [\\d:]{8} \\S+ tostderr\\[\\d+\\]: visible"));
    assertThat(lines.getLast()).endsWith(": JOB Status 0");
    assertThat(box.syslog.lines()).isEmpty();
  }
}
