package org.rmonitor.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ProcStatTest {
  @Test
  void parsesAfterTheLastParenthesisSoACommandNameCannotFoolIt() {
    String stat = "4242 (evil) S 1 2 3) Z 1 4242 4243 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 777 1000 10";
    assertThat(ProcStat.parse(4242, stat)).isEqualTo(new ProcStat(4242, 'Z', 4243, 777));
  }

  @Test
  void thisProcessIsRunningAndAnotherStartTimeIsAnotherProcess() {
    long me = ProcessHandle.current().pid();
    ProcStat stat = ProcStat.of(me).orElseThrow();
    assertThat(stat.running()).isTrue();
    assertThat(ProcStat.running(me, stat.startTicks())).isTrue();
    assertThat(ProcStat.running(me, stat.startTicks() + 1)).as("PID reused").isFalse();
    assertThat(ProcStat.of(Integer.MAX_VALUE)).isEmpty();
  }

  @Test
  @Timeout(30)
  void aSessionOutlivesItsLeaderAndHoldsOnlyProcessesStartedAfterIt() throws Exception {
    // setsid sh: the shell leads a new session and leaves a sleep behind in it, then exits.
    Process leader = new ProcessBuilder("setsid", "sh", "-c", "sleep 30 >/dev/null 2>&1 & echo $!").start();
    try {
      long sleeper = Long.parseLong(new String(leader.getInputStream().readAllBytes()).strip());
      assertThat(leader.waitFor(10, TimeUnit.SECONDS)).isTrue();
      long since = ProcStat.of(sleeper).orElseThrow().startTicks();
      assertThat(ProcStat.session(leader.pid(), 0)).extracting(ProcStat::pid).containsExactly(sleeper);
      assertThat(ProcStat.session(leader.pid(), since + 1)).as("started before").isEmpty();
      assertThat(ProcStat.of(sleeper).orElseThrow().describe()).isEqualTo(sleeper + " (sleep)");
      ProcessHandle.of(sleeper).ifPresent(ProcessHandle::destroyForcibly);
    } finally {
      for (ProcStat p : ProcStat.session(leader.pid(), 0)) ProcessHandle.of(p.pid()).ifPresent(ProcessHandle::destroyForcibly);
      leader.destroyForcibly();
    }
  }
}
