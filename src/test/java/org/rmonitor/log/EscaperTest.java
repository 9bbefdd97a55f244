package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class EscaperTest {
  static String esc(int... bytes) {
    byte[] b = new byte[bytes.length];
    for (int i = 0; i < b.length; i++) b[i] = (byte) bytes[i];
    return Escaper.escape(b);
  }

  @Test
  void validUtf8PassesUnchanged() {
    String s = "Grüße, €, 日本, 😀, back\\slash";
    assertThat(Escaper.escape(s.getBytes(StandardCharsets.UTF_8))).isEqualTo(s);
  }

  @Test
  void controlCharactersAreEscaped() {
    assertThat(Escaper.escape("a\tb\u001b[0m\u007f\r".getBytes(StandardCharsets.UTF_8)))
        .isEqualTo("a\\x09b\\x1b[0m\\x7f\\x0d");
    assertThat(esc(0)).isEqualTo("\\x00");
  }

  @Test
  void invalidUtf8IsEscapedByteByByte() {
    assertThat(esc(0xff, 'a')).isEqualTo("\\xffa");
    assertThat(esc(0xc3)).as("truncated sequence").isEqualTo("\\xc3");
    assertThat(esc(0xc0, 0xaf)).as("overlong /").isEqualTo("\\xc0\\xaf");
    assertThat(esc(0xed, 0xa0, 0x80)).as("UTF-16 surrogate").isEqualTo("\\xed\\xa0\\x80");
    assertThat(esc(0xf4, 0x90, 0x80, 0x80)).as("above U+10FFFF").isEqualTo("\\xf4\\x90\\x80\\x80");
    assertThat(esc(0xe2, 0x82, 'x')).isEqualTo("\\xe2\\x82x");
  }

  @Test
  void charactersThatHideOrForgeTextAreEscaped() {
    assertThat(Escaper.escape("a\u202eb\u2028c\u0085d")).isEqualTo("a\\u202Eb\\u2028c\\u0085d");
  }
}
