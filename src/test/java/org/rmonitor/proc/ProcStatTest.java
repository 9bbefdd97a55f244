package org.rmonitor.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.rmonitor.resource.Holder;
import org.junit.jupiter.api.Test;

class ProcStatTest {
  @Test
  void parsesAfterTheLastParenthesisSoACommandNameCannotFoolIt() {
    String stat = "4242 (evil) S 1 2 3) Z 1 4242 4242 0 -1 4194560 100 0 0 0 0 0 0 0 20 0 1 0 777 1000 10";
    assertThat(ProcStat.parse(stat)).isEqualTo(new ProcStat('Z', 777));
  }

  @Test
  void thisProcessIsRunningAndAHolderWithAnotherStartTimeIsNotIt() {
    long me = ProcessHandle.current().pid();
    ProcStat stat = ProcStat.of(me).orElseThrow();
    assertThat(stat.running()).isTrue();
    assertThat(new Holder(me, stat.startTicks(), Instant.now(), "j").alive()).isTrue();
    assertThat(new Holder(me, stat.startTicks() + 1, Instant.now(), "j").alive()).as("PID reused").isFalse();
    assertThat(ProcStat.of(Integer.MAX_VALUE)).isEmpty();
  }
}
