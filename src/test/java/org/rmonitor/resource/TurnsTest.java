package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;

class TurnsTest {
  Holder job(long pid, String since) {
    return new Holder(pid, pid, Instant.parse(since), "here", "b", "cron.daily/j" + pid);
  }

  @Test
  void aJobStandsAfterEveryWaiterThatAskedNoLaterAndKeepsItsPlaceOnceInLine() {
    List<Holder> line = List.of(job(1, "2026-03-09T04:40:03.100Z"), job(2, "2026-03-09T04:40:03.500Z"));
    assertThat(Turns.place(line, job(3, "2026-03-09T04:40:04Z"))).isEqualTo(2);
    assertThat(Turns.place(line, job(3, "2026-03-09T04:40:03.300Z"))).isEqualTo(1);
    assertThat(Turns.place(line, job(3, "2026-03-09T04:40:03.100Z"))).as("a tie: who wrote first").isEqualTo(1);
    assertThat(Turns.place(line, job(3, "2026-03-09T04:40:01Z"))).isZero();
    assertThat(Turns.place(line, job(2, "2026-03-09T04:40:09Z"))).as("in line: its index").isEqualTo(1);
  }

  @Test
  void itsTurnComesWhenHoldersAndWaitersAheadLeaveRoom() {
    assertThat(Turns.mine(OptionalInt.empty(), 50, 50)).isTrue();
    assertThat(Turns.mine(OptionalInt.of(1), 0, 0)).isTrue();
    assertThat(Turns.mine(OptionalInt.of(1), 1, 0)).isFalse();
    assertThat(Turns.mine(OptionalInt.of(1), 0, 1)).isFalse();
    assertThat(Turns.mine(OptionalInt.of(3), 1, 1)).isTrue();
    assertThat(Turns.mine(OptionalInt.of(3), 2, 1)).isFalse();
  }

  @Test
  void theLimitLinesReadAsDocumented() {
    assertThat(Turns.waiting("UsbBackup", 1, 2, 1)).isEqualTo("LIMIT UsbBackup: waiting, 1 job(s) running, 2 waiting ahead (limit 1)");
    assertThat(Turns.turn("UsbBackup", Duration.ofMillis(12_900))).isEqualTo("LIMIT UsbBackup: turn after 12s");
    assertThat(Turns.human(Duration.ofSeconds(13 * 60 + 54))).isEqualTo("13m54s");
    assertThat(Turns.human(Duration.ofSeconds(2 * 3600 + 5 * 60 + 7))).isEqualTo("2h05m");
  }
}
