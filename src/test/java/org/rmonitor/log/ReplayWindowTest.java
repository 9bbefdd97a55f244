package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class ReplayWindowTest {
  final AtomicLong now = new AtomicLong(5_000_000_000L);
  final ReplayWindow window = new ReplayWindow(now::get);

  static LogRecord line(int i) {
    return new LogRecord(Instant.EPOCH, Severity.INFO, "x[1]", "line " + i);
  }

  static List<String> messages(List<LogRecord> records) {
    return records.stream().map(LogRecord::message).toList();
  }

  @Test
  void holdsTheLastMaxLinesOldestFirstAcrossManyTurnsOfTheRing() {
    for (int i = 0; i < 3 * ReplayWindow.MAX + 17; i++) window.add(line(i));
    List<String> kept = messages(window.drain());
    assertThat(kept).hasSize(ReplayWindow.MAX);
    assertThat(kept.getFirst()).isEqualTo("line " + (2 * ReplayWindow.MAX + 17));
    assertThat(kept.getLast()).isEqualTo("line " + (3 * ReplayWindow.MAX + 16));
    assertThat(window.drain()).as("drained").isEmpty();
    window.add(line(-1));
    assertThat(messages(window.drain())).containsExactly("line -1");
  }

  @Test
  void dropsWhatWasSentMoreThanTheSpanAgo() {
    for (int i = 0; i < 10; i++) {
      window.add(line(i));
      now.addAndGet(ReplayWindow.SPAN.toNanos() / 4); // four lines a span
    }
    // The last line went a quarter span ago, the one before it half a span: the lines sent
    // within the span of the newest one are kept.
    window.add(line(10));
    assertThat(messages(window.drain())).containsExactlyElementsOf(IntStream.rangeClosed(6, 10).mapToObj(i -> "line " + i).toList());
  }
}
