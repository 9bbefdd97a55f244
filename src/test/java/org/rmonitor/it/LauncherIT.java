package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The launcher as the kernel runs it: real exit codes, and a monitor cut loose from its caller. */
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
  void noJavaIsExplainedWithExit69() throws Exception {
    Path s = box.script("nojava", "UsbBackup", "echo never");
    Sandbox.Result r = box.run(List.of(s.toString()), Map.of("RMONITOR_JAVA", "/nonexistent/bin/java"));
    assertThat(r.status()).isEqualTo(69);
    assertThat(r.stderr()).startsWith("rmonitor: no Java 25 found").contains("install a JDK or JRE 25");
  }

  @Test
  void theMonitorLeadsItsOwnSessionAndHoldsNothingOfItsCaller() throws Exception {
    Path s = box.script("detached", "UsbBackup", "echo ready; while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.05; done");
    Sandbox.Result r = box.run(List.of(s.toString()));
    long pid = box.monitors().getFirst();
    assertThat(r.stderr()).isEqualTo("cron.daily: JOB detached[" + pid + "] Launched\n");
    box.await(l -> l.stream().anyMatch(x -> x.endsWith("detached[" + pid + "]: ready")));

    String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    assertThat(f[3]).as("session id").isEqualTo(Long.toString(pid));
    assertThat(f[2]).as("process group").isEqualTo(Long.toString(pid));
    // stdin and stdout (after the monitor said "up" on it) are /dev/null; stderr is the
    // fallback file, where a JVM that cannot start leaves its words.
    for (int fd = 0; fd <= 1; fd++) {
      assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/" + fd))).isEqualTo(Path.of("/dev/null"));
    }
    assertThat(Files.readSymbolicLink(Path.of("/proc/" + pid + "/fd/2"))).isEqualTo(box.fallback);
    Files.createFile(tmp.resolve("gate"));
    box.awaitJobsEnded(1);
  }
}
