package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

class EscaperTest {
  static byte[] b(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
    return b;
  }

  static byte[] utf8(String s) {
    return s.getBytes(StandardCharsets.UTF_8);
  }

  /** Bytes written, text logged: byte-exact both ways. */
  static Stream<Arguments> table() {
    return Stream.of(
        Arguments.of(utf8("plain"), "plain"),
        Arguments.of(utf8("Grüße, €, 日本, 😀"), "Grüße, €, 日本, 😀"),
        Arguments.of(utf8("back\\slash"), "back\\\\slash"),
        Arguments.of(utf8("\\x0a is text"), "\\\\x0a is text"),
        Arguments.of(utf8("\\\\"), "\\\\\\\\"),
        Arguments.of(utf8("a\tb\u001b[0m\u007f\r"), "a\\x09b\\x1b[0m\\x7f\\x0d"),
        Arguments.of(b(0), "\\x00"),
        Arguments.of(b('a', 0, 'b'), "a\\x00b"),
        Arguments.of(b(0xff, 'a'), "\\xffa"),
        Arguments.of(b(0xc3), "\\xc3"),
        Arguments.of(b(0xc0, 0xaf), "\\xc0\\xaf"),
        Arguments.of(b(0xed, 0xa0, 0x80), "\\xed\\xa0\\x80"),
        Arguments.of(b(0xf4, 0x90, 0x80, 0x80), "\\xf4\\x90\\x80\\x80"),
        Arguments.of(b(0xe2, 0x82, 'x'), "\\xe2\\x82x"),
        Arguments.of(utf8("a\u202eb\u2028c\u0085d\ufeff"), "a\\u202Eb\\u2028c\\u0085d\\uFEFF"),
        Arguments.of(b(0xc2, 0x85), "\\u0085"),
        Arguments.of(b(0x5c, 0x78, 0xc3), "\\\\x\\xc3"));
  }

  @ParameterizedTest
  @MethodSource("table")
  void escapesAndReadsBackByteExactly(byte[] written, String logged) {
    assertThat(Escaper.escape(written)).isEqualTo(logged);
    assertThat(Escaper.unescape(logged)).isEqualTo(written);
  }

  @Test
  void theCostOfEachUnitIsItsEscapedLength() {
    for (Arguments a : table().toList()) {
      byte[] in = (byte[]) a.get()[0];
      int total = 0;
      for (int i = 0; i < in.length; ) {
        int n = Math.max(1, Escaper.unitLength(in, i, in.length));
        total += Escaper.cost(in, i, n);
        i += n;
      }
      assertThat(total).as(a.get()[1].toString()).isEqualTo(utf8(Escaper.escape(in)).length);
    }
  }

  @Test
  void anIncompleteCharacterWaitsForItsLastByte() {
    byte[] euro = utf8("€");
    assertThat(Escaper.unitLength(euro, 0, 1)).isZero();
    assertThat(Escaper.unitLength(euro, 0, 2)).isZero();
    assertThat(Escaper.unitLength(euro, 0, 3)).isEqualTo(3);
    assertThat(Escaper.unitLength(b(0xe2, 'x'), 0, 2)).as("decided invalid at once").isEqualTo(1);
  }

  @Test
  void randomBytesReadBack() {
    Random random = new Random(5);
    for (int i = 0; i < 2000; i++) {
      byte[] in = new byte[random.nextInt(40)];
      random.nextBytes(in);
      assertThat(Escaper.unescape(Escaper.escape(in))).isEqualTo(in);
    }
  }

  @Test
  void aBackslashThatStartsNoEscapeIsNotEscapedText() {
    assertThatThrownBy(() -> Escaper.unescape("a\\q")).isInstanceOf(IllegalArgumentException.class);
    assertThatThrownBy(() -> Escaper.unescape("end\\")).isInstanceOf(IllegalArgumentException.class);
  }
}
