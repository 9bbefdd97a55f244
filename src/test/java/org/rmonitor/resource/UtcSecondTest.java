package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

class UtcSecondTest {
  @Test
  void writesAndReadsWhatInstantWritesAndReadsForAWholeSecond() {
    SplittableRandom random = new SplittableRandom(13);
    for (int i = 0; i < 20_000; i++) {
      Instant t = Instant.ofEpochSecond(random.nextLong(-30_610_224_000L, 253_402_300_800L)); // years 1000 to 9999
      assertThat(UtcSecond.format(t)).isEqualTo(t.toString());
      assertThat(UtcSecond.parse(t.toString())).isEqualTo(t);
    }
  }

  @Test
  void otherFormsAreInstantsOwn() {
    Instant fraction = Instant.parse("2026-11-30T04:40:03.250Z");
    assertThat(UtcSecond.format(fraction)).isEqualTo("2026-11-30T04:40:03.250Z");
    assertThat(UtcSecond.parse("2026-11-30T04:40:03.250Z")).isEqualTo(fraction);
    assertThat(UtcSecond.format(Instant.EPOCH.minusSeconds(40_000_000_000L))).isEqualTo(Instant.EPOCH.minusSeconds(40_000_000_000L).toString());
  }

  @Test
  void nonsenseIsRefusedAsInstantRefusesIt() {
    assertThatThrownBy(() -> UtcSecond.parse("2026-02-30T04:40:03Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> UtcSecond.parse("2026-11-30T24:40:03Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> UtcSecond.parse("2026-11-30 04:40:03Z")).isInstanceOf(DateTimeParseException.class);
    assertThatThrownBy(() -> UtcSecond.parse("")).isInstanceOf(DateTimeParseException.class);
  }
}
