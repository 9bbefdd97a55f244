package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class LineSplitterTest {
  /** Feeds the bytes one at a time, the hardest way to cut a stream, and returns the lines. */
  static List<String> split(int max, byte[] input) {
    List<String> lines = new ArrayList<>();
    LineSplitter s = new LineSplitter(max, b -> lines.add(new String(b, StandardCharsets.ISO_8859_1)));
    for (byte b : input) s.feed(new byte[] {b}, 0, 1);
    s.finish();
    return lines;
  }

  static List<String> split(int max, String latin1) {
    return split(max, latin1.getBytes(StandardCharsets.ISO_8859_1));
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "'a\\nb\\n'           | a,b",
        "'a\\r\\nb\\r\\n'     | a,b",
        "'a\\n\\nb\\n'        | a,,b",
        "'last'               | last",
        "'a\\nlast'           | a,last",
        "'\\n'                | ''",
        "'cr\\rmid\\n'        | cr\rmid",
        "'two\\r\\r\\n'       | two\\r",
      })
  void splitsOnLineFeedsAndDropsOneCarriageReturn(String input, String expected) {
    String in = input.replace("\\n", "\n").replace("\\r", "\r");
    List<String> want = new ArrayList<>(List.of(expected.replace("\\r", "\r").split(",", -1)));
    assertThat(split(100, in)).isEqualTo(want);
  }

  @Test
  void nothingInNothingOut() {
    assertThat(split(10, "")).isEmpty();
  }

  @Test
  void aLongLineComesInPartsAndALineOfExactlyMaxIsOnePart() {
    assertThat(split(4, "abcdefghij\n")).containsExactly("abcd", "efgh", "ij");
    assertThat(split(4, "abcd\nefgh")).containsExactly("abcd", "efgh");
  }

  @Test
  void partsAreCutBetweenUtf8Characters() {
    byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // 3 bytes
    byte[] in = new byte[] {'a', 'b', euro[0], euro[1], euro[2], 'c', '\n'};
    List<String> parts = split(4, in);
    assertThat(parts).hasSize(2);
    assertThat(parts.get(0)).isEqualTo("ab");
    assertThat(parts.get(1).getBytes(StandardCharsets.ISO_8859_1)).isEqualTo(new byte[] {euro[0], euro[1], euro[2], 'c'});
  }

  @Test
  void invalidBytesAreNeverHeldBackForever() {
    byte[] in = new byte[] {(byte) 0xe2, (byte) 0xe2, (byte) 0xe2, (byte) 0xe2, (byte) 0xe2, '\n'};
    assertThat(split(4, in)).hasSize(2);
  }

  @Test
  void chunksOfAnySizeGiveTheSameLines() {
    String text = "first line\r\nsecond\n\nthird without end";
    byte[] b = text.getBytes(StandardCharsets.UTF_8);
    List<String> whole = new ArrayList<>();
    LineSplitter s = new LineSplitter(8, x -> whole.add(new String(x, StandardCharsets.UTF_8)));
    s.feed(b, 0, b.length);
    s.finish();
    assertThat(whole).isEqualTo(split(8, b));
    assertThat(whole).containsExactly("first li", "ne", "second", "", "third wi", "thout en", "d");
  }
}
