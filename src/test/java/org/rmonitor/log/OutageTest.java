package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutageTest {
  final AtomicLong now = new AtomicLong(1_000_000_000L);
  final Outage outage = new Outage(now::get);

  void pass(Duration d) {
    now.addAndGet(d.toNanos());
  }

  @Test
  void aLineWaitsOneBoundThenTheOutageBeginsWithOneWarning() {
    assertThat(outage.tryDestination()).isTrue();
    assertThat(outage.bound()).isEqualTo(Duration.ofSeconds(2));
    assertThat(outage.failed()).as("the WARNING is due").isTrue();
    assertThat(outage.bound()).isZero();
    assertThat(outage.tryDestination()).as("no waiting, no probe yet").isFalse();
    pass(Duration.ofMillis(999));
    assertThat(outage.tryDestination()).isFalse();
    pass(Duration.ofMillis(1));
    assertThat(outage.tryDestination()).as("one probe a second").isTrue();
    assertThat(outage.tryDestination()).isFalse();
    assertThat(outage.failed()).as("the same outage: no second WARNING").isFalse();
  }

  @Test
  void aProbeThatGoesThroughResumesDeliveryWithShortWaitsUntilCalm() {
    outage.failed();
    pass(Duration.ofSeconds(1));
    assertThat(outage.tryDestination()).isTrue();
    outage.delivered();
    assertThat(outage.mode()).isEqualTo(Outage.Mode.RECOVER);
    assertThat(outage.bound()).isEqualTo(Duration.ofMillis(100));
    assertThat(outage.tryDestination()).isTrue();
    pass(Duration.ofSeconds(5));
    assertThat(outage.failed()).as("a relapse is the same outage").isFalse();
    pass(Duration.ofSeconds(1));
    outage.delivered();
    pass(Duration.ofSeconds(9));
    outage.delivered();
    assertThat(outage.mode()).isEqualTo(Outage.Mode.RECOVER);
    pass(Duration.ofSeconds(1));
    outage.delivered();
    assertThat(outage.mode()).isEqualTo(Outage.Mode.DELIVER);
    assertThat(outage.failed()).as("a new outage, a new WARNING").isTrue();
  }
}
