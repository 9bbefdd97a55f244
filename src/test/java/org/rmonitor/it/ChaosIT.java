package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * A night that goes wrong: 80 jobs on two resources (some want one, some both, in either order)
 * come in bursts; a quarter of the monitors are SIGKILLed alone during PROCESSING (their scripts
 * run on, as after the OOM killer), a quarter get SIGTERM at a random moment (waiting for a lock,
 * in PREP, PROCESSING or POST, or after the end: see {@link Moment}); then one last job comes.
 *
 * <p>The exits are realistic: PREP takes 50-200 ms and "mounts" (creates a marker) at its
 * successful end, POST "unmounts"; both mark themselves busy, so two exits of one resource at
 * once leave a violation line; a PREP that gets the relayed TERM cleans up and fails. Each
 * target marks the resources it uses, checks at its start and at its end (a TERM included)
 * that they are mounted, and POST checks that no target uses its resource.
 *
 * <p>Asserted: no violation line; per resource the exits' event log alternates PREP and POST,
 * one at a time, beginning with PREP and ending with POST; nothing left prepared (lock files,
 * markers); no process left of any monitor's session, nor any process of the sandbox; every
 * monitor not SIGKILLed logged exactly one JOB Status.
 */
class ChaosIT extends SandboxTest {
  static final List<String> RESOURCES = List.of("UsbBackup", "DailyBackups");
  static final int JOBS = 80;
  /**
   * Bursts of five jobs: a job costs two JVM starts (about 0.65 s of CPU), and a machine that
   * cannot keep up falls behind more and more, until every signal comes after its job's end.
   */
  static final int BURSTS = 16;
  static final Duration BURST_EVERY = Duration.ofMillis(3500);
  /** Long enough for scripts whose monitor was SIGKILLed and the POSTs that wait for them. */
  static final Duration SETTLE = Duration.ofSeconds(120);

  enum Role { PLAIN, KILL, TERM }

  /**
   * When a TERM comes, drawn at random for each job to be stopped: soon after launch (waiting
   * for a lock, or in PREP), while its PREP runs (if it runs one), a moment into PROCESSING,
   * just as its target ends (the monitor is about to release or runs POST), or any time.
   */
  enum Moment { SOON, IN_PREP, IN_PROCESSING, TARGET_ENDED, ANY }

  private static final String EXIT =
      """
      d="$SANDBOX/$RMONITOR_RESOURCE"
      v() { echo "$RMONITOR_RESOURCE: $*" >> "$SANDBOX/violations"; }
      # A TERM relayed during PREP: undo what was done, and fail, as a careful PREP would.
      [ "$1" = PREP ] && trap 'rm -f "$d/busy"; echo "PREP failed $RMONITOR_PID" >> "$d/events"; exit 143' TERM
      [ -e "$d/busy" ] && v "$1 of $RMONITOR_PID began while $(cat "$d/busy") ran"
      echo "$1 of $RMONITOR_PID" > "$d/busy"
      echo "$1 begin $RMONITOR_PID" >> "$d/events"
      case $1 in
      PREP)
        [ -e "$d/mounted" ] && v "PREP of $RMONITOR_PID while mounted"
        n=$(od -An -N1 -tu1 /dev/urandom | tr -d ' ')
        sleep "$(printf '0.%03d' $((50 + n * 150 / 255)))" # test input: a PREP takes 50-200 ms
        trap '' TERM # mounted from here on: a TERM comes too late to undo it
        touch "$d/mounted"
        echo "PREP ok $RMONITOR_PID" >> "$d/events" ;;
      POST)
        [ -e "$d/mounted" ] || v "POST of $RMONITOR_PID while not mounted"
        for f in "$d"/using.*; do [ -e "$f" ] && v "POST of $RMONITOR_PID while job ${f##*.} uses it"; done
        sleep 0.05
        rm -f "$d/mounted"
        echo "POST end $RMONITOR_PID" >> "$d/events" ;;
      esac
      rm -f "$d/busy"
      """;

  /**
   * The target, with its resources in $res: $1 is its role, $2 how long it runs. A target whose
   * monitor is to be SIGKILLed waits until it was, then runs on alone, writing to files only (its
   * stdout is a pipe nobody reads any more).
   */
  private static final String TARGET =
      """
      me=$RMONITOR_PID
      v() { echo "job $me ($RMONITOR_JOB): $*" >> "$SANDBOX/violations"; }
      check() { for r in $res; do [ -e "$SANDBOX/$r/mounted" ] || v "$r not prepared at its $1"; done; }
      finish() { check "$1"; for r in $res; do rm -f "$SANDBOX/$r/using.$me"; done; touch "$SANDBOX/ended.$me"; }
      trap 'finish "end (TERM)"; exit 143' TERM
      for r in $res; do : > "$SANDBOX/$r/using.$me"; done
      check start
      # A limit counts every job whose processes run, those of SIGKILLed monitors too.
      for r in $res; do
        [ -e "$SANDBOX/limit.$r" ] || continue
        n=0; for f in "$SANDBOX/$r"/using.*; do [ -e "$f" ] && n=$((n + 1)); done
        [ "$n" -le "$(cat "$SANDBOX/limit.$r")" ] || v "$r used by $n jobs at once (limit $(cat "$SANDBOX/limit.$r"))"
      done
      echo "target of $me runs"
      touch "$SANDBOX/started.$me"
      if [ "$1" = KILL ]; then
        i=0
        while [ ! -e "$SANDBOX/killed.$me" ] && [ $i -lt 1200 ]; do sleep 0.05; i=$((i + 1)); done
      fi
      sleep "$2"
      finish end
      """;

  record Job(int index, Role role, List<String> resources, Launched launched, Moment moment, boolean signalled) {}

  @Test
  @Timeout(300)
  void eightyJobsKilledAndStoppedAtRandomLeaveEveryResourceSafeAndClean() throws Exception {
    night(Map.of());
  }

  /**
   * The same night with limits, UsbBackup one job at a time and DailyBackups two: jobs that list
   * both, in either order, take turns, and none waits all night for another; no target finds
   * more jobs using its resource than the limit allows.
   */
  @Test
  @Timeout(300)
  void theSameNightWithLimitsKeepsThemAndNoJobWaitsForever() throws Exception {
    night(Map.of("UsbBackup", 1, "DailyBackups", 2));
  }

  private void night(Map<String, Integer> limits) throws Exception {
    long t0 = System.nanoTime();
    long seed = System.nanoTime();
    Random random = new Random(seed);
    for (String r : RESOURCES) {
      Files.createDirectories(tmp.resolve(r));
      box.exit(r, EXIT);
    }
    for (var limit : limits.entrySet()) {
      box.conf(limit.getKey(), "limit=" + limit.getValue() + "\n");
      Files.writeString(tmp.resolve("limit." + limit.getKey()), limit.getValue() + "\n");
    }
    List<Role> roles = new ArrayList<>();
    for (int i = 0; i < JOBS; i++) roles.add(i < JOBS / 4 ? Role.KILL : i < JOBS / 2 ? Role.TERM : Role.PLAIN);
    Collections.shuffle(roles, random);

    List<Job> jobs = new ArrayList<>();
    try (ExecutorService running = Executors.newVirtualThreadPerTaskExecutor()) {
      List<Future<Job>> futures = new ArrayList<>();
      for (int i = 0; i < JOBS; i++) {
        // Test input, not synchronisation: bursts 3.5 s apart, each job 0-1 s into its burst, its
        // resources, its run time, and the moment of its signal.
        long startAt = (i * BURSTS / JOBS) * BURST_EVERY.toMillis() + random.nextInt(1000);
        List<String> wanted = switch (random.nextInt(4)) {
          case 0 -> List.of("UsbBackup");
          case 1 -> List.of("DailyBackups");
          case 2 -> List.of("UsbBackup", "DailyBackups");
          default -> List.of("DailyBackups", "UsbBackup");
        };
        Role role = roles.get(i);
        double runFor = switch (role) {
          case KILL -> 0.2 + random.nextDouble(0.8); // once its monitor is dead
          case TERM -> 0.5 + random.nextDouble(2.0); // long enough for most TERMs to find it running
          case PLAIN -> 0.2 + random.nextDouble(1.3);
        };
        Moment moment = Moment.values()[random.nextInt(Moment.values().length)];
        long signalAfter = random.nextLong(switch (moment) {
          case ANY -> 2500;
          case IN_PROCESSING -> 500;
          case TARGET_ENDED -> 30;
          default -> 200;
        });
        int index = i;
        futures.add(running.submit(() -> job(t0, startAt, index, role, wanted, runFor, moment, signalAfter)));
      }
      for (Future<Job> f : futures) jobs.add(f.get());
    }
    awaitAllOver(jobs);

    Job last = job(System.nanoTime(), 0, JOBS, Role.PLAIN, List.of("DailyBackups", "UsbBackup"), 0.2, Moment.ANY, 0);
    jobs.add(last);
    awaitAllOver(jobs);
    long seconds = Duration.ofNanos(System.nanoTime() - t0).toSeconds();

    // What the scripts and exits saw.
    List<String> violations = new ArrayList<>();
    if (Files.exists(tmp.resolve("violations"))) violations.addAll(Files.readAllLines(tmp.resolve("violations")));
    Map<String, int[]> cycles = new LinkedHashMap<>();
    for (String r : RESOURCES) {
      Path events = tmp.resolve(r).resolve("events");
      cycles.put(r, replay(r, Files.exists(events) ? Files.readAllLines(events) : List.of(), violations));
    }
    long killed = jobs.stream().filter(j -> j.role() == Role.KILL).count();
    long termed = jobs.stream().filter(j -> j.role() == Role.TERM).count();
    long termedRunning = jobs.stream().filter(j -> j.role() == Role.TERM && j.signalled()).count();
    List<String> lines = Sandbox.tagged(box.awaitJobsEnded(JOBS + 1 - (int) killed));
    Map<String, Integer> phases = new java.util.TreeMap<>();
    for (Job j : jobs) if (j.role() == Role.TERM) phases.merge(phaseAtSignal(j, lines), 1, Integer::sum);
    System.out.printf(
        "CHAOS limits=%s jobs=%d sigkill=%d sigterm=%d (%d while running: %s) prep_cycles=%s failed_preps=%s"
            + " violations=%d seconds=%d seed=%d%n",
        limits.isEmpty() ? "none" : new java.util.TreeMap<>(limits), jobs.size(), killed, termed, termedRunning, phases,
        String.join(",", cycles.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()[0]).toList()),
        String.join(",", cycles.entrySet().stream().map(e -> e.getKey() + ":" + e.getValue()[1]).toList()),
        violations.size(), seconds, seed);

    assertThat(violations).as("violations (seed %d)", seed).isEmpty();
    // Nothing left prepared, nothing left held.
    for (String r : RESOURCES) {
      assertThat(box.lockFile(r)).contains("prepared no").doesNotContain("holder", "exit phase");
      try (Stream<Path> left = Files.list(tmp.resolve(r))) {
        assertThat(left.map(p -> p.getFileName().toString())).as("markers of " + r).containsExactly("events");
      }
    }
    // No process left: none of any monitor's session, none of the sandbox at all.
    for (Job j : jobs) {
      assertThat(j.launched().sessionLeft(tmp)).as("session of " + j.launched()).isEmpty();
    }
    assertThat(Launched.describe(Launched.processesOf(tmp))).as("processes of the sandbox").isEmpty();
    // JOB Status exactly once from every monitor that was not SIGKILLed, and 0 unless signalled.
    for (Job j : jobs) {
      String me = j.launched().name() + "[" + j.launched().pid() + "]: JOB Status ";
      List<String> status = lines.stream().filter(l -> l.startsWith(me)).toList();
      switch (j.role()) {
        case KILL -> assertThat(status).as("job %d was SIGKILLed", j.index()).isEmpty();
        case TERM -> assertThat(status).as("job %d", j.index()).hasSize(1).allMatch(l -> l.matches(".* (0|143)"));
        case PLAIN -> assertThat(status).as("job %d", j.index()).containsExactly(me + "0");
      }
    }
    // Every target that started ran to its end (or to its TERM) and looked at its resources there,
    // those of SIGKILLed monitors included, which ran on alone.
    for (Job j : jobs) {
      if (j.role() != Role.TERM || Files.exists(tmp.resolve("started." + j.launched().pid()))) {
        assertThat(tmp.resolve("ended." + j.launched().pid())).as("the target of job %d ended", j.index()).exists();
      }
    }
    // The exits' own account agrees with the monitors' log.
    for (String r : RESOURCES) {
      assertThat(Sandbox.count(lines, Pattern.compile(": POST " + r + ": EXIT Status  0$")))
          .as("POSTs of " + r).isEqualTo(cycles.get(r)[0]);
    }
  }

  /** The job's PREP exit runs: it marks the resource busy with its monitor's PID. */
  private boolean prepRuns(Launched job) {
    for (String r : RESOURCES) {
      try {
        if (Files.readString(tmp.resolve(r).resolve("busy")).strip().equals("PREP of " + job.pid())) return true;
      } catch (java.io.IOException e) {
        // no exit runs
      }
    }
    return false;
  }

  /** Where a job was when its TERM came, as its own lines tell. */
  private static String phaseAtSignal(Job j, List<String> lines) {
    String me = j.launched().name() + "[" + j.launched().pid() + "]: ";
    String phase = "after-end";
    for (String l : lines) {
      if (!l.startsWith(me)) continue;
      String m = l.substring(me.length());
      if (m.startsWith("JOB Begins")) phase = "acquiring";
      else if (m.matches("PREP \\S+: EXIT Begins")) phase = "PREP";
      else if (m.matches("PREP \\S+: EXIT Status.*")) phase = "acquiring";
      else if (m.startsWith("PROCESSING Begins")) phase = "PROCESSING";
      else if (m.startsWith("PROCESSING Status")) phase = "POST";
      else if (m.startsWith("SIGNAL TERM received")) return m.contains("during POST") ? "POST" : phase;
    }
    return "after-end";
  }

  /** Launches one job at {@code startAt} ms after {@code t0} and plays its role. */
  private Job job(
      long t0, long startAt, int index, Role role, List<String> wanted, double runFor, Moment moment, long signalAfter)
      throws Exception {
    String name = String.format(Locale.ROOT, "chaos%02d", index);
    Path script =
        box.script(name, String.join(",", wanted) + " /bin/bash", "res='" + String.join(" ", wanted) + "'\n" + TARGET);
    long wait = startAt - Duration.ofNanos(System.nanoTime() - t0).toMillis();
    if (wait > 0) Thread.sleep(wait); // the job's start time: test input
    Launched launched =
        Launched.launch(box, List.of(script.toString(), role.name(), String.format(Locale.ROOT, "%.3f", runFor)));
    boolean signalled = false;
    switch (role) {
      case PLAIN -> {}
      case KILL -> {
        // During PROCESSING: its target waits for "killed" before it ends.
        Path started = tmp.resolve("started." + launched.pid());
        Launched.await(
            () -> Files.exists(started) || !launched.running(),
            SETTLE,
            () -> "the target of " + launched + " starts");
        assertThat(started).as("%s reached PROCESSING", launched).exists();
        Thread.sleep(signalAfter); // a moment into PROCESSING: test input
        signalled = launched.kill();
        assertThat(signalled).as("%s SIGKILLed during PROCESSING", launched).isTrue();
        Launched.await(() -> !launched.running(), Sandbox.TIMEOUT, () -> launched + " is dead");
        Files.createFile(tmp.resolve("killed." + launched.pid()));
      }
      case TERM -> {
        Path started = tmp.resolve("started." + launched.pid());
        Path ended = tmp.resolve("ended." + launched.pid());
        switch (moment) {
          case SOON, ANY -> {}
          case IN_PREP -> Launched.await(
              () -> prepRuns(launched) || Files.exists(started) || !launched.running(),
              SETTLE, () -> launched + " runs PREP or its target");
          case IN_PROCESSING -> Launched.await(
              () -> Files.exists(started) || !launched.running(), SETTLE, () -> launched + " runs its target");
          case TARGET_ENDED -> Launched.await(
              () -> Files.exists(ended) || !launched.running(), SETTLE, () -> launched + " ends its target");
        }
        if (moment != Moment.IN_PREP) Thread.sleep(signalAfter); // a random moment: test input
        signalled = launched.term();
      }
    }
    return new Job(index, role, wanted, launched, moment, signalled);
  }

  /**
   * Waits until every monitor is gone and every process of the sandbox has ended: the scripts of
   * SIGKILLed monitors run on, and the POSTs that wait for them end after them.
   */
  private void awaitAllOver(List<Job> jobs) throws InterruptedException {
    Launched.await(
        () -> jobs.stream().noneMatch(j -> j.launched().running()) && Launched.processesOf(tmp).isEmpty(),
        SETTLE,
        Duration.ofMillis(100),
        () -> "all jobs are over; still running: "
            + jobs.stream().filter(j -> j.launched().running()).map(j -> j.launched().toString()).toList()
            + "\n" + Launched.describe(Launched.processesOf(tmp)));
  }

  /**
   * Replays a resource's event log: one exit at a time, PREP only when not prepared, POST only
   * when prepared, prepared at the end of a successful PREP and not at the end of a POST or a
   * failed PREP, not prepared at the end. Returns the successful PREPs and the failed ones.
   */
  static int[] replay(String r, List<String> events, List<String> violations) {
    boolean prepared = false;
    String exit = null;
    int ok = 0;
    int failed = 0;
    for (int i = 0; i < events.size(); i++) {
      String e = events.get(i);
      String what = e.replaceFirst(" [0-9]+$", "");
      String at = r + " event " + (i + 1) + " (" + e + "): ";
      switch (what) {
        case "PREP begin" -> {
          if (exit != null) violations.add(at + "while " + exit + " runs");
          if (prepared) violations.add(at + "while prepared");
          exit = "PREP";
        }
        case "PREP ok" -> {
          if (!"PREP".equals(exit)) violations.add(at + "with no PREP running");
          prepared = true;
          exit = null;
          ok++;
        }
        case "PREP failed" -> { // its begin line is missing if the TERM came before it
          if (exit != null && !exit.equals("PREP")) violations.add(at + "while " + exit + " runs");
          if (prepared) violations.add(at + "while prepared");
          exit = null;
          failed++;
        }
        case "POST begin" -> {
          if (exit != null) violations.add(at + "while " + exit + " runs");
          if (!prepared) violations.add(at + "while not prepared");
          exit = "POST";
        }
        case "POST end" -> {
          if (!"POST".equals(exit)) violations.add(at + "with no POST running");
          prepared = false;
          exit = null;
        }
        default -> violations.add(at + "not understood");
      }
    }
    if (prepared || exit != null) violations.add(r + ": left " + (exit != null ? exit + " running" : "prepared"));
    return new int[] {ok, failed};
  }
}
