package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class JobStatusTest {
  @Test
  void theTargetsFailureWinsThenTheFirstExitsThenASignal() {
    JobStatus s = new JobStatus();
    assertThat(s.value()).isZero();
    s.stoppedBeforeTarget(15);
    assertThat(s.value()).isEqualTo(143);
    s.exit(0);
    s.exit(2);
    s.exit(3);
    assertThat(s.value()).isEqualTo(2);
    s.target(0);
    assertThat(s.value()).isEqualTo(2);
    s.target(1);
    assertThat(s.value()).isEqualTo(1);
  }
}
