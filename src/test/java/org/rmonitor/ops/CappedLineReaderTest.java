package org.rmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

class CappedLineReaderTest {
  /** An input that hands over one byte per read, the hardest way to cut a stream. */
  static InputStream trickle(byte[] bytes) {
    return new ByteArrayInputStream(bytes) {
      @Override
      public synchronized int read(byte[] b, int off, int len) {
        return super.read(b, off, Math.min(len, 1));
      }
    };
  }

  static List<String> lines(int max, byte[] input) throws IOException {
    List<String> out = new ArrayList<>();
    CappedLineReader r = new CappedLineReader(trickle(input), max);
    for (String l; (l = r.next()) != null; ) out.add(l);
    assertThat(r.count()).isEqualTo(out.size());
    return out;
  }

  static List<String> lines(int max, String input) throws IOException {
    return lines(max, input.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void splitsOnLineFeedsDropsOneCarriageReturnAndKeepsALastLineWithoutNewline() throws Exception {
    assertThat(lines(64, "a\nb\r\n\nlast")).containsExactly("a", "b", "", "last");
    assertThat(lines(64, "two\r\r\n")).containsExactly("two\r");
    assertThat(lines(64, "")).isEmpty();
    assertThat(lines(64, "\n")).containsExactly("");
  }

  @Test
  void anOverlongLineIsCutAndSaysHowManyBytesWereLeftOut() throws Exception {
    assertThat(lines(8, "0123456789abcdef\nnext\n")).containsExactly("01234567 ... 8 bytes left out ...", "next");
    assertThat(lines(8, "012345678")).containsExactly("01234567 ... 1 bytes left out ...");
  }

  @Test
  void aCutNeverSplitsAUtf8CharacterAndInvalidBytesAreReplaced() throws Exception {
    // "aaaaaa" then é (2 bytes) straddling the cut at 7: the whole é goes to the left-out part.
    assertThat(lines(7, "aaaaaaé and more\n")).containsExactly("aaaaaa ... 11 bytes left out ...");
    assertThat(lines(64, new byte[] {'a', (byte) 0xff, 'b', '\n'})).containsExactly("a\uFFFDb");
  }

  @Test
  void aGigabyteWithoutANewlineCostsOneCappedLine() throws Exception {
    long size = 1L << 30;
    InputStream endless =
        new InputStream() {
          long left = size;

          @Override
          public int read() {
            return left-- > 0 ? 'x' : -1;
          }

          @Override
          public int read(byte[] b, int off, int len) {
            if (left == 0) return -1;
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 'x');
            left -= n;
            return n;
          }
        };
    CappedLineReader r = new CappedLineReader(endless, CappedLineReader.MAX_LINE);
    String line = r.next();
    assertThat(line).hasSize(CappedLineReader.MAX_LINE + (" ... " + (size - CappedLineReader.MAX_LINE) + " bytes left out ...").length());
    assertThat(line).endsWith(" ... " + (size - CappedLineReader.MAX_LINE) + " bytes left out ...");
    assertThat(r.next()).isNull();
  }
}
