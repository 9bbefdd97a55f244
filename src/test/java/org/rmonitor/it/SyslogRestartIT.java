package org.rmonitor.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;

/** logrotate restarts the syslog daemon while a job logs: no line may be lost. */
class SyslogRestartIT extends SandboxTest {
  @BeforeEach
  void setUp() throws Exception {
    box.exit("UsbBackup", "exit 0");
  }

  @RepeatedTest(3)
  void everyLineReachesSyslogOrTheFallbackFile() throws Exception {
    Path s = box.script("chatty", "UsbBackup /bin/bash",
        "for i in $(seq 1 400); do echo \"line $i\"; [ $i = 100 ] && while [ ! -e \"$SANDBOX/gate\" ]; do sleep 0.02; done; done; exit 0");
    box.run(List.of(s.toString()));
    box.await(l -> l.stream().anyMatch(x -> x.endsWith(": line 100")));
    box.syslog.restart();
    Files.createFile(tmp.resolve("gate"));
    box.awaitMonitorsGone();

    Set<String> seen = new HashSet<>();
    List<String> logged = box.syslog.lines();
    List<String> fallback = Files.exists(box.fallback) ? Files.readAllLines(box.fallback) : List.of();
    for (String l : logged) seen.add(l.replaceAll(".*: (line \\d+)$", "$1"));
    for (String l : fallback) seen.add(l.replaceAll(".*: (line \\d+)$", "$1"));
    assertThat(seen).containsAll(IntStream.rangeClosed(1, 400).mapToObj(i -> "line " + i).toList());
    assertThat(logged.getLast()).endsWith("JOB Status 0");
    // The restart was noticed: what the dead daemon may have had queued was written again.
    assertThat(fallback).anyMatch(l -> l.endsWith("chatty[" + box.monitors().getFirst() + "]: line 100"));
  }
}
