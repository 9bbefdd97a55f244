package org.rmonitor.job;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import org.junit.jupiter.api.Test;

class TranscriptTest {
  static final Instant T = Instant.parse("2026-03-09T03:40:03Z");

  @Test
  void keepsTheStreamsApartAndCountsEveryLine() {
    Transcript t = Transcript.bounded();
    t.lifecycle(T, "JOB Begins");
    t.target(false, T, "out 1");
    t.target(true, T, "err 1");
    t.target(false, T, "out 2");
    assertThat(t.lifecycle().lines()).extracting(Transcript.Line::text).containsExactly("JOB Begins");
    assertThat(t.stderr().lines()).extracting(Transcript.Line::text).containsExactly("err 1");
    assertThat(t.stdout().lines()).extracting(Transcript.Line::text).containsExactly("out 1", "out 2");
    assertThat(t.stdout().leftOut()).isZero();
  }

  @Test
  void keepsTheLastLinesWithinItsBoundsAndSaysHowManyItLeftOut() {
    Transcript t = Transcript.bounded();
    for (int i = 1; i <= 10_000; i++) t.target(true, T, "err " + i);
    Transcript.Tail err = t.stderr();
    assertThat(err.lines()).hasSize(200);
    assertThat(err.lines().getFirst().text()).isEqualTo("err 9801");
    assertThat(err.lines().getLast().text()).isEqualTo("err 10000");
    assertThat(err.seen()).isEqualTo(10_000);
    assertThat(err.leftOut()).isEqualTo(9_800);

    for (int i = 1; i <= 1000; i++) t.target(false, T, "x".repeat(800));
    assertThat(t.stdout().lines().size()).as("16 KiB of 800-byte lines").isEqualTo(16 * 1024 / 801);
  }

  @Test
  void offKeepsNothingButCounts() {
    Transcript t = Transcript.off();
    t.target(true, T, "err");
    assertThat(t.stderr().lines()).isEmpty();
    assertThat(t.stderr().seen()).isEqualTo(1);
  }

  @Test
  void aLongLineIsCutAtACharacterBoundaryUnder900Bytes() {
    assertThat(Transcript.cut("x".repeat(900))).isEqualTo("x".repeat(900));
    String cut = Transcript.cut("x".repeat(5000));
    assertThat(cut).startsWith("x".repeat(840)).endsWith(" [cut: 4160 more characters, see syslog]");
    assertThat(org.rmonitor.log.Parts.utf8Length(cut)).isLessThanOrEqualTo(900);
    String euro = Transcript.cut("€".repeat(400)); // 3 bytes each
    assertThat(euro).startsWith("€".repeat(280) + " [cut: 120 more");
    assertThat(org.rmonitor.log.Parts.utf8Length(euro)).isLessThanOrEqualTo(900);
    String emoji = Transcript.cut("😀".repeat(300)); // 4 bytes, two chars each
    assertThat(emoji).startsWith("😀".repeat(210) + " [cut: 90 more");
  }
}
