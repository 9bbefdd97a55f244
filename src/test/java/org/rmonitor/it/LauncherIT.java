package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.proc.ProcStat;

/**
 * The launcher as the kernel runs it: real exit codes, a monitor cut loose from its caller, and
 * the Java runtime the wrapper picks.
 */
class LauncherIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
  }

  @Test
  void aBadHashbangIsRefusedWithExit64AndOneLine() throws Exception {
    Path s = box.script("bad", "-L Usb /bin/sh", "echo never");
    Sandbox.Result r = box.run(List.of(s.toString()));
    assertThat(r.status()).isEqualTo(64);
    assertThat(r.stderr()).isEqualTo("rmonitor: resource name 'Usb' in 'Usb': a name is 7 to 20 characters of A-Z a-z 0-9 - _\n");
    assertThat(box.monitors()).isEmpty();
  }

  @Test
  void aMissingRmonitorJavaIsNamedWithExit69() throws Exception {
    Path s = box.script("nojava", "UsbBackup", "echo never");
    Sandbox.Result r = box.run(List.of(s.toString()), Map.of("RMONITOR_JAVA", "/nonexistent"));
    assertThat(r.status()).isEqualTo(69);
    assertThat(r.stderr())
        .isEqualTo("rmonitor: RMONITOR_JAVA=/nonexistent is not an executable file; "
            + "set it to the bin/java of a JDK or JRE 25 or later\n");
    assertThat(box.monitors()).isEmpty();
  }

  @Test
  void aJavaOlderThan25IsNamedWithItsVersionAndExit69() throws Exception {
    Path home = jdk("17").orElse(null);
    assumeTrue(home != null, "no Java 17 under /usr/lib/jvm");
    Path s = box.script("oldjava", "UsbBackup", "echo never");
    String java = home.resolve("bin/java").toString();
    Sandbox.Result r = box.run(List.of(s.toString()), Map.of("RMONITOR_JAVA", java));
    assertThat(r.status()).isEqualTo(69);
    assertThat(r.stderr())
        .matches("rmonitor: RMONITOR_JAVA=" + Pattern.quote(java)
            + " is Java 17[.0-9]*; rmonitor needs Java 25 or later\n");
    assertThat(box.monitors()).isEmpty();
  }

  @Test
  void onJava25TheJobsJvmGetsPreviewFeaturesAndTheFlagsOfJvmOptions() throws Exception {
    List<String> monitor = monitorCommandLine("java25", Map.of());
    assertThat(monitor).contains("--enable-preview").doesNotContain("-XX:+IgnoreUnrecognizedVMOptions");
    assertThat(monitor).anyMatch(a -> a.startsWith("@") && a.endsWith("/org/rmonitor/jvm.options"));
    assertThat(monitor).doesNotContain("-Xmx64m"); // read by java from the file, written nowhere else
  }

  /**
   * What the night of a JDK upgrade looks like: a runtime whose release file says 26. (This
   * machine has no JDK 26: the stand-in is this JDK 25 under another release file, so the JVM is
   * 25 with preview features off, and PreviewScope cannot load; the plain scope runs the job.)
   */
  @Test
  void aJavaLaterThan25RunsTheJobWithoutPreviewFeatures() throws Exception {
    Path later = Files.createDirectories(tmp.resolve("jdk-26/bin"));
    Files.createSymbolicLink(later.resolve("java"), Path.of(System.getProperty("java.home"), "bin", "java"));
    Files.writeString(later.resolveSibling("release"), "JAVA_VERSION=\"26\"\nJAVA_RUNTIME_VERSION=\"26+35\"\n");
    List<String> monitor = monitorCommandLine("java26", Map.of("JAVA_HOME", later.getParent().toString()));
    assertThat(monitor).doesNotContain("--enable-preview");
    // A flag of jvm.options that a later JDK dropped must not stop every job.
    assertThat(monitor).contains("-XX:+IgnoreUnrecognizedVMOptions");
    assertThat(monitor).anyMatch(a -> a.startsWith("@") && a.endsWith("/org/rmonitor/jvm.options"));
  }

  /**
   * Launches a job that waits, reads its monitor's command line, lets it end, and checks that
   * it ran from JOB Begins to JOB Status 0 with its output logged.
   */
  private List<String> monitorCommandLine(String name, Map<String, String> env) throws Exception {
    Path s = box.script(name, "UsbBackup", "echo ready; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done; echo done");
    Sandbox.Result r = box.run(List.of(s.toString()), env);
    assertThat(r.status()).as(r.stderr()).isZero();
    long pid = box.monitors().getFirst();
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(name + "[" + pid + "]: ready")));
    List<String> cmd = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
    Files.createFile(tmp.resolve("gate"));
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(1));
    String tag = name + "[" + pid + "]: ";
    assertThat(lines).contains(tag + "JOB Begins", tag + "done", tag + "PROCESSING Status 0", tag + "JOB Status 0");
    return cmd;
  }

  /** A JDK or JRE under /usr/lib/jvm whose release file names this feature release. */
  private static Optional<Path> jdk(String feature) throws IOException {
    try (Stream<Path> homes = Files.list(Path.of("/usr/lib/jvm"))) {
      return homes
          .filter(h -> Files.isExecutable(h.resolve("bin/java")))
          .filter(h -> {
            try {
              return Files.readString(h.resolve("release")).contains("JAVA_VERSION=\"" + feature + ".");
            } catch (IOException e) {
              return false;
            }
          })
          .sorted()
          .findFirst();
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
  }

  @Test
  void theMonitorLeadsItsOwnSessionAndHoldsNothingOfItsCaller() throws Exception {
    Path s = box.script("detached", "UsbBackup", "echo ready; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done");
    Sandbox.Result r = box.run(List.of(s.toString()));
    long pid = box.monitors().getFirst();
    assertThat(r.stderr()).isEqualTo("cron.daily: JOB detached[" + pid + "] Launched\n");
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("detached[" + pid + "]: ready")));

    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = ProcStat.fields(stat);
    assertThat(f[3]).as("session id").isEqualTo(Long.toString(pid));
    assertThat(f[2]).as("process group").isEqualTo(Long.toString(pid));
    // stdin and stdout (after the launcher's answer on it) are /dev/null; stderr is the
    // fallback file, where the JVM's own words (a crash) land.
    for (int fd = 0; fd <= 1; fd++) {
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd))).isEqualTo(Path.of("/dev/null"));
    }
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/2"))).isEqualTo(box.fallback);
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(1);
  }

  /**
   * A holder's processes are told apart by the monitor's session: a monitor that cannot lead one
   * (its JVM was started as a group leader, here by setsid(1), and setsid(2) then fails) runs
   * nothing, and says why.
   */
  @Test
  void aMonitorThatCannotLeadASessionOfItsOwnRunsNothing() throws Exception {
    List<String> cmd = monitorCommandLine("model", Map.of());
    box.awaitMonitorsGone();
    Path marker = tmp.resolve("ran");
    Path s = box.script("leader", "UsbBackup", "touch " + marker);
    List<String> leader = new java.util.ArrayList<>(List.of("setsid"));
    leader.addAll(cmd.subList(0, cmd.size() - 1));
    leader.add(s.toString());
    Sandbox.Result r = box.run(leader);
    // Here the JVM is no wrapper's: its exit status is the monitor's, after its answer.
    assertThat(r.status()).as(r.stderr()).isEqualTo(71);
    assertThat(r.stderr()).startsWith("cron.daily: JOB leader[").contains("] Launched\nrmonitor-exit ");
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(2)).stream().filter(l -> l.contains("leader[")).toList();
    assertThat(lines).anyMatch(l -> l.matches("leader\\[\\d+\\]: ERROR the monitor cannot lead a session of its own: setsid\\(\\): Operation not permitted"));
    assertThat(lines.getLast()).matches("leader\\[\\d+\\]: JOB Status 71");
    assertThat(lines).noneMatch(l -> l.contains("PREP") || l.contains("PROCESSING"));
    assertThat(marker).doesNotExist();
  }

  /**
   * cron mails what a night said once every holder of its pipe has closed it, and Debian's
   * run-parts --report reads a script's stdout and stderr to their end: a monitor must hold
   * neither, nor a copy the caller left open on another descriptor (bash's fd 12 here, beyond
   * what bin/rmonitor closes itself).
   */
  @Test
  void theCallersPipesReachTheirEndWhileTheJobRuns() throws Exception {
    Path s = box.script("letgo", "UsbBackup", "echo ready; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done");
    Process caller = box.start(List.of("bash", "-c", "exec 12>&2 7>&2; exec \"$0\"", s.toString()));
    var said = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
      try {
        return new String(caller.getErrorStream().readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new java.io.UncheckedIOException(e);
      }
    });
    String stderr = said.get(Sandbox.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS);
    assertThat(caller.waitFor(Sandbox.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
    assertThat(caller.exitValue()).isZero();
    var m = Pattern.compile("JOB letgo\\[(\\d+)\\] Launched").matcher(stderr);
    assertThat(m.find()).as(stderr).isTrue();
    long pid = Long.parseLong(m.group(1));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("letgo[" + pid + "]: ready")));
    assertThat(ProcessHandle.of(pid)).as("the monitor runs on").isPresent();
    assertThat(box.syslog.lines()).noneMatch(l -> l.contains("JOB Status"));
    Files.createFile(tmp.resolve("gate"));
    assertThat(Sandbox.tagged(box.awaitJobsEnded(1))).contains("letgo[" + pid + "]: JOB Status 0");
  }

  /**
   * A JVM that ends before it answers (here: it refuses a flag, as a jvm.options written for
   * another JDK would make it) leaves its own words on stderr, one NOT LAUNCHED line there and
   * in the log, and exit 71: cron mails it.
   */
  @Test
  void aJvmThatEndsBeforeItAnswersIsNotLaunchedWithExit71AndLogged() throws Exception {
    Path home = Files.createDirectories(tmp.resolve("jdk-refuses/bin")).getParent();
    Files.writeString(home.resolve("release"), "JAVA_VERSION=\"25\"\nJAVA_RUNTIME_VERSION=\"25+0\"\n");
    Sandbox.executable(home.resolve("bin/java"),
        "#!/bin/sh\ncase \" $* \" in *' -Drmonitor.launch='*)\n"
            + "  echo \"Unrecognized VM option 'Bogus'\" >&2; echo 'Error: Could not create the Java Virtual Machine.' >&2; exit 1 ;;\n"
            + "esac\nexec " + Path.of(System.getProperty("java.home"), "bin", "java") + " \"$@\"\n");
    Path s = box.script("refused", "UsbBackup", "echo never");
    Sandbox.Result r = box.run(List.of(s.toString()), Map.of("RMONITOR_JAVA", home.resolve("bin/java").toString()));
    assertThat(r.status()).as(r.stderr()).isEqualTo(71);
    assertThat(r.stderr())
        .isEqualTo("Unrecognized VM option 'Bogus'\nError: Could not create the Java Virtual Machine.\n"
            + "rmonitor: cron.daily: JOB refused NOT LAUNCHED: its JVM ended before the monitor began"
            + " (what the JVM said, if anything, is on stderr above)\n");
    assertThat(Sandbox.tagged(box.await(l -> !l.isEmpty())))
        .containsExactly("cron.daily: JOB refused NOT LAUNCHED: its JVM ended before the monitor began"
            + " (what the JVM said, if anything, is on stderr above)");
    assertThat(box.monitors()).isEmpty();
  }

  /**
   * A launcher whose caller is gone before it says "Launched" (the wrapper killed with
   * run-parts): the job was never announced, so it never runs.
   */
  @Test
  void aJobNobodyHeardLaunchedNeverRuns() throws Exception {
    Path s = box.script("unheard", "UsbBackup", "touch \"$SANDBOX/ran\"");
    ProcessBuilder pb = new ProcessBuilder(
        Path.of(System.getProperty("java.home"), "bin", "java").toString(), "--enable-preview",
        "--enable-native-access=ALL-UNNAMED", "-Drmonitor.launch=pipe",
        "-cp", Path.of(System.getProperty("user.dir"), "target", "rmonitor.jar").toString(),
        "org.rmonitor.Main", "UsbBackup", s.toString());
    pb.environment().putAll(box.env());
    pb.redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).redirectErrorStream(true);
    Process jvm = pb.start();
    try {
      jvm.getInputStream().close(); // the reader is gone long before a JVM reaches main
      assertThat(jvm.waitFor(Sandbox.TIMEOUT.toSeconds(), java.util.concurrent.TimeUnit.SECONDS)).isTrue();
      assertThat(jvm.exitValue()).isEqualTo(71);
      assertThat(tmp.resolve("ran")).doesNotExist();
      assertThat(box.syslog.lines()).noneMatch(l -> l.contains("JOB Begins"));
    } finally {
      jvm.destroyForcibly();
    }
  }

  /**
   * No line of the JVM's can pass for its answer, not even a file name written to look like
   * one: the answer carries a word the wrapper drew at random for this launch.
   */
  @Test
  void aFileNameThatLooksLikeTheAnswerIsNotTakenForIt() throws Exception {
    String forged = tmp.resolve("x\nrmonitor-exit 0\ny").toString();
    Sandbox.Result r = box.run(List.of(Sandbox.RMONITOR.toString(), "UsbBackup", forged));
    assertThat(r.status()).as(r.stderr()).isEqualTo(66);
    assertThat(r.stderr()).contains("no such file");
    assertThat(r.stderr().lines()).as("one line, the newlines escaped").hasSize(1);
    assertThat(r.stderr()).contains("x\\x0armonitor-exit 0\\x0ay");
    assertThat(box.monitors()).isEmpty();
  }
}
