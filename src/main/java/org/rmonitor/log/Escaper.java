package org.rmonitor.log;

import java.nio.charset.StandardCharsets;

/**
 * Turns the raw bytes of one output line into text that is safe to log: valid UTF-8 passes,
 * anything else is written as {@code \xNN}, and characters that could forge or hide log content
 * (control characters, C1 controls, line and paragraph separators, bidirectional overrides) as
 * {@code \xNN} or a backslash, u and four hex digits. A script's output is hostile: it must never be able to start a
 * new log line or make one read differently from what was written.
 */
public final class Escaper {
  private Escaper() {}

  public static String escape(byte[] b, int off, int len) {
    if (printableAscii(b, off, len)) return new String(b, off, len, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(len + 16);
    int end = off + len;
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      if (c < 0x80) {
        if (c < 0x20 || c == 0x7f) {
          hex(out, c);
        } else {
          out.append((char) c);
        }
        i++;
        continue;
      }
      int n = sequenceLength(b, i, end);
      if (n == 0) {
        hex(out, c);
        i++;
        continue;
      }
      int cp = decode(b, i, n);
      if (unsafe(cp)) {
        out.append(String.format("\\u%04X", cp));
      } else {
        out.appendCodePoint(cp);
      }
      i += n;
    }
    return out.toString();
  }

  /** The common case, plain ASCII text, needs no escaping at all. */
  private static boolean printableAscii(byte[] b, int off, int len) {
    for (int i = off; i < off + len; i++) {
      if (b[i] < 0x20 || b[i] == 0x7f) return false; // bytes >= 0x80 are negative
    }
    return true;
  }

  public static String escape(byte[] b) {
    return escape(b, 0, b.length);
  }

  /** Escapes a string that did not come from bytes (a file name, say) the same way. */
  public static String escape(String s) {
    return escape(s.getBytes(StandardCharsets.UTF_8));
  }

  private static void hex(StringBuilder out, int c) {
    out.append("\\x").append(Character.forDigit(c >> 4, 16)).append(Character.forDigit(c & 15, 16));
  }

  /** The length of the well-formed UTF-8 sequence at {@code i} (RFC 3629, table 3-7), or 0. */
  static int sequenceLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    int n;
    int lo = 0x80;
    int hi = 0xbf;
    if (c >= 0xc2 && c <= 0xdf) {
      n = 2;
    } else if (c >= 0xe0 && c <= 0xef) {
      n = 3;
      if (c == 0xe0) lo = 0xa0;
      if (c == 0xed) hi = 0x9f; // no UTF-16 surrogates
    } else if (c >= 0xf0 && c <= 0xf4) {
      n = 4;
      if (c == 0xf0) lo = 0x90;
      if (c == 0xf4) hi = 0x8f; // nothing above U+10FFFF
    } else {
      return 0;
    }
    if (i + n > end) return 0;
    int second = b[i + 1] & 0xff;
    if (second < lo || second > hi) return 0;
    for (int k = 2; k < n; k++) {
      if ((b[i + k] & 0xc0) != 0x80) return 0;
    }
    return n;
  }

  private static int decode(byte[] b, int i, int n) {
    int cp = b[i] & (0xff >> (n + 1));
    for (int k = 1; k < n; k++) cp = (cp << 6) | (b[i + k] & 0x3f);
    return cp;
  }

  private static boolean unsafe(int cp) {
    return (cp >= 0x80 && cp <= 0x9f)
        || cp == 0x2028
        || cp == 0x2029
        || (cp >= 0x200e && cp <= 0x200f)
        || (cp >= 0x202a && cp <= 0x202e)
        || (cp >= 0x2066 && cp <= 0x2069)
        || cp == 0xfeff;
  }
}
