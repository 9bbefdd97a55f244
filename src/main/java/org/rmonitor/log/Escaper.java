package org.rmonitor.log;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;

/**
 * Turns the raw bytes of one output line into text that is safe to log, and back: valid UTF-8
 * passes, a backslash is doubled, anything else is written as {@code \xNN}, and characters that
 * could forge or hide log content (control characters, C1 controls, line and paragraph
 * separators, bidirectional overrides) as {@code \xNN} or a backslash, u and four hex digits. A
 * script's output is hostile: it must never be able to start a new log line or make one read
 * differently from what was written. As every backslash in the result starts an escape, {@link
 * #unescape} gives back exactly the bytes that were written.
 *
 * <p>The unit of escaping is one byte or one whole UTF-8 character: {@link #unitLength} and
 * {@link #cost} let a splitter cut between units without escaping twice.
 */
public final class Escaper {
  private Escaper() {}

  public static String escape(byte[] b, int off, int len) {
    // The common case, plain ASCII text without a backslash, needs no escaping at all.
    if (plainRun(b, off, off + len, len) == len) return new String(b, off, len, StandardCharsets.ISO_8859_1);
    StringBuilder out = new StringBuilder(len + 16);
    int end = off + len;
    int i = off;
    while (i < end) {
      int c = b[i] & 0xff;
      int n = unitLength(b, i, end);
      if (n <= 1) {
        if (c == '\\') {
          out.append("\\\\");
        } else if (c < 0x20 || c >= 0x7f) { // a control character, DEL, or a byte that is not UTF-8
          hex(out, c);
        } else {
          out.append((char) c);
        }
        i++;
        continue;
      }
      int cp = decode(b, i, n);
      if (unsafe(cp)) {
        out.append("\\u").append(HEX_UPPER.charAt(cp >> 12)).append(HEX_UPPER.charAt((cp >> 8) & 15))
            .append(HEX_UPPER.charAt((cp >> 4) & 15)).append(HEX_UPPER.charAt(cp & 15));
      } else {
        out.appendCodePoint(cp);
      }
      i += n;
    }
    return out.toString();
  }

  private static final String HEX_UPPER = "0123456789ABCDEF";

  /** A byte that is a unit of its own and escapes to itself: printable ASCII but '\\'. */
  static boolean plain(byte c) {
    return c >= 0x20 && c < 0x7f && c != '\\'; // bytes >= 0x80 are negative
  }

  /** How many plain bytes b[from, end) starts with, up to {@code max}. */
  static int plainRun(byte[] b, int from, int end, int max) {
    int stop = Math.min(end, from + Math.max(0, max));
    int i = from;
    while (i < stop && plain(b[i])) i++;
    return i - from;
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

  /**
   * The raw length of the unit at {@code i}: 1 for a byte (ASCII, or one that starts no valid
   * UTF-8 sequence), n for a whole well-formed n-byte character (RFC 3629, table 3-7); or 0 while
   * the bytes up to {@code end} are a valid but incomplete start of one, so more bytes decide.
   */
  public static int unitLength(byte[] b, int i, int end) {
    int c = b[i] & 0xff;
    if (c < 0x80) return 1;
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
      return 1;
    }
    if (i + 1 >= end) return 0;
    int second = b[i + 1] & 0xff;
    if (second < lo || second > hi) return 1;
    for (int k = 2; k < n; k++) {
      if (i + k >= end) return 0;
      if ((b[i + k] & 0xc0) != 0x80) return 1;
    }
    return n;
  }

  /** How many bytes the unit of {@code n} raw bytes at {@code i} takes once escaped. */
  public static int cost(byte[] b, int i, int n) {
    if (n == 1) {
      int c = b[i] & 0xff;
      if (c == '\\') return 2;
      return c < 0x20 || c >= 0x7f ? 4 : 1;
    }
    return unsafe(decode(b, i, n)) ? 6 : n;
  }

  /**
   * The bytes an escaped text was made from: the inverse of {@link #escape(byte[])}.
   *
   * @throws IllegalArgumentException for a backslash that starts no escape this class writes
   */
  public static byte[] unescape(String text) {
    ByteArrayOutputStream out = new ByteArrayOutputStream(text.length());
    int i = 0;
    while (i < text.length()) {
      char c = text.charAt(i);
      if (c != '\\') {
        int cp = text.codePointAt(i);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += Character.charCount(cp);
        continue;
      }
      char kind = i + 1 < text.length() ? text.charAt(i + 1) : ' ';
      if (kind == '\\') {
        out.write('\\');
        i += 2;
      } else if (kind == 'x' && i + 4 <= text.length()) {
        out.write(Integer.parseInt(text, i + 2, i + 4, 16));
        i += 4;
      } else if (kind == 'u' && i + 6 <= text.length()) {
        int cp = Integer.parseInt(text, i + 2, i + 6, 16);
        out.writeBytes(new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8));
        i += 6;
      } else {
        throw new IllegalArgumentException("no escape at " + i + " of '" + text + "'");
      }
    }
    return out.toByteArray();
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
