package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.rmonitor.log.Escaper;

/**
 * A classic 1 KiB syslog daemon, for real: busybox syslogd keeps 1023 bytes of a datagram and
 * silently drops the rest. It listens only on /dev/log, so it runs, with the jobs, in a private
 * mount namespace ({@code unshare -m}) over a /dev of their own: the machine's /dev/log is never
 * touched. Skipped where busybox or unshare cannot be used (not root, say).
 */
class SmallDaemonIT extends SandboxTest {
  static final Path BUSYBOX = Path.of("/bin/busybox");

  /** Runs the jobs given as arguments under busybox syslogd in a namespace of their own. */
  static final String RUNNER =
      """
      #!/bin/sh
      # $1: a directory for /dev and the messages; then one command line per job.
      set -eu
      d=$1; shift
      mkdir -p "$d/dev"
      mount -t tmpfs -o mode=755 tmpfs "$d/dev"
      for n in null zero random urandom tty; do touch "$d/dev/$n"; mount --bind "/dev/$n" "$d/dev/$n"; done
      ln -s /proc/self/fd "$d/dev/fd"
      mount --move "$d/dev" /dev
      busybox syslogd -n -O "$d/messages" &
      syslogd=$!
      trap 'kill $syslogd' EXIT
      i=0; until [ -S /dev/log ]; do i=$((i + 1)); [ $i -lt 400 ] || exit 70; sleep 0.05; done
      for job in "$@"; do sh -c "$job"; done
      # Polls for every job's last line; the test's timeout bounds it.
      until [ "$(grep -c ': JOB Status ' "$d/messages" 2>/dev/null)" -ge $# ]; do sleep 0.05; done
      """;

  Path runner;

  @BeforeEach
  void setUp() throws Exception {
    assumeTrue(Files.isExecutable(BUSYBOX), "busybox is not installed");
    Process probe = new ProcessBuilder("unshare", "-m", "true").redirectErrorStream(true).start();
    try {
      assumeTrue(probe.waitFor(10, TimeUnit.SECONDS) && probe.exitValue() == 0, "unshare -m is not allowed here");
    } finally {
      probe.destroyForcibly();
    }
    box.exit("UsbBackup", "exit 0");
    runner = Sandbox.executable(tmp.resolve("runner"), RUNNER);
  }

  static final Pattern LINE = Pattern.compile("^\\w{3} [ \\d]\\d [\\d:]{8} \\S+ local1\\.\\w+ (\\S+): (.*)$");
  static final Pattern MARK = Pattern.compile("^\\[(\\d+)/(\\+|\\d+)\\] ");

  /** The lines a tag's messages read back to: marked parts joined, escapes undone. */
  static List<byte[]> readBack(List<String> messages, String tag) {
    List<byte[]> lines = new ArrayList<>();
    ByteArrayOutputStream cut = null;
    for (String l : messages) {
      Matcher m = LINE.matcher(l);
      if (!m.matches() || !m.group(1).equals(tag)) continue;
      String text = m.group(2);
      Matcher k = MARK.matcher(text);
      if (!k.find()) {
        lines.add(Escaper.unescape(text));
        continue;
      }
      if (k.group(1).equals("1")) cut = new ByteArrayOutputStream();
      cut.writeBytes(Escaper.unescape(text.substring(k.end())));
      if (!k.group(2).equals("+")) lines.add(cut.toByteArray());
    }
    return lines;
  }

  @Test
  void everyMessageFitsBusyboxSyslogdAndEveryLineReadsBackWhole() throws Exception {
    Path s =
        box.script(
            "long",
            "UsbBackup /bin/bash",
            """
            head -c 5000 /dev/zero | tr '\\0' 'a'; echo
            head -c 1500 /dev/zero | tr '\\0' 'b'; echo
            printf 'tabs\\t%.0s' $(seq 1 300); echo
            printf '€%.0s' $(seq 1 700); echo
            printf 'back\\\\slash %.0s' $(seq 1 100); echo""");
    Sandbox.Result r =
        box.run(List.of("unshare", "-m", runner.toString(), tmp.resolve("ns").toString(), s.toString()), Map.of("RMONITOR_LOG", "syslog"));
    assertThat(r.status()).as(r.stderr()).isZero();
    List<String> messages = Files.readAllLines(tmp.resolve("ns/messages"));
    String tag = "long[" + box.monitors().getFirst() + "]";
    List<String> out = readBack(messages, tag).stream().map(b -> new String(b, StandardCharsets.UTF_8)).toList();
    assertThat(out)
        .contains(
            "a".repeat(5000),
            "b".repeat(1500),
            "tabs\t".repeat(300),
            "€".repeat(700),
            "back\\slash ".repeat(100));
    assertThat(out.getLast()).isEqualTo("JOB Status 0");
    // It may exist (the monitor's stderr goes there), but no line had to go there.
    assertThat(Files.exists(box.fallback) ? Files.readAllLines(box.fallback) : List.of()).isEmpty();
  }

  /** The same daemon with parts sized for a 2 KiB one: it cuts them, which is what the default avoids. */
  @Test
  void partsTooBigForTheDaemonAreCutByIt() throws Exception {
    Path s = box.script("big", "UsbBackup /bin/bash", "head -c 1500 /dev/zero | tr '\\0' 'c'; echo");
    box.run(
        List.of("unshare", "-m", runner.toString(), tmp.resolve("ns").toString(), "RMONITOR_MAX_MESSAGE=2048 " + s),
        Map.of("RMONITOR_LOG", "syslog"));
    List<String> messages = Files.readAllLines(tmp.resolve("ns/messages"));
    String tag = "big[" + box.monitors().getFirst() + "]";
    assertThat(readBack(messages, tag).stream().map(b -> new String(b, StandardCharsets.UTF_8)))
        .doesNotContain("c".repeat(1500))
        .anyMatch(l -> l.startsWith("ccc") && l.length() < 1500);
  }
}
