package org.rmonitor.log;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The marks on the parts of a line too long for one syslog message: every part but the last
 * starts with {@code [K/+] }, the last with {@code [N/N] }, so a reader sees which messages make
 * one line, in which order, and where it ends, even with other lines between them. A line of
 * output that itself starts like a mark has its {@code [} escaped as {@code \x5b}, so a mark is
 * always rmonitor's. Lines that fit in one message carry no mark.
 */
public final class Parts {
  /** What a mark looks like: rmonitor's, or the start of a line that must not pass for one. */
  private static final Pattern MARK = Pattern.compile("\\[[0-9]+/(\\+|[0-9]+)\\] ");

  /** The escape of the {@code [} that starts a line looking like a mark. */
  static final String ESCAPED_BRACKET = "\\x5b";

  /** No room can be smaller: the longest mark and the longest escape must fit with text. */
  public static final int MIN_ROOM = 40;

  private Parts() {}

  /** The mark of part {@code k}, the last one when {@code last}. */
  public static String mark(int k, boolean last) {
    return "[" + k + "/" + (last ? Integer.toString(k) : "+") + "] ";
  }

  /** The most bytes a mark of part {@code k} can take, whether or not it is the last. */
  static int markRoom(int k) {
    return 4 + 2 * digits(k); // "[k/k] "; "[k/+] " is never longer
  }

  private static int digits(int k) {
    int d = 1;
    while (k >= 10) {
      k /= 10;
      d++;
    }
    return d;
  }

  /** True when {@code text} starts like a mark, so an unmarked line must escape its {@code [}. */
  public static boolean looksMarked(CharSequence text) {
    return text.length() > 0 && text.charAt(0) == '[' && MARK.matcher(text).lookingAt();
  }

  /** The same test on raw bytes, for a line not yet escaped. */
  static boolean looksMarked(byte[] b, int len) {
    if (len == 0 || b[0] != '[') return false;
    int probe = Math.min(len, 24); // two ten-digit numbers and the punctuation
    return looksMarked(new String(b, 0, probe, StandardCharsets.ISO_8859_1));
  }

  /**
   * Cuts an already escaped {@code text} into messages of at most {@code room} UTF-8 bytes each,
   * {@code head} (a prefix such as {@code PREP UsbBackup: }) repeated in front of every part and
   * counted in the room. Cuts fall between escapes and characters, never inside one. A text that
   * fits is returned as {@code head + text}, unmarked.
   */
  public static List<String> cut(String head, String text, int room) {
    int textRoom = Math.max(MIN_ROOM, room - utf8Length(head));
    if (fits(text, textRoom)) return List.of(head.isEmpty() ? text : head + text);
    List<String> out = new ArrayList<>();
    int k = 1;
    int start = 0;
    int used = 0;
    int i = 0;
    while (i < text.length()) {
      int n = unitChars(text, i);
      int cost = utf8Length(text.substring(i, i + n));
      if (used + cost > textRoom - markRoom(k)) {
        out.add(head + mark(k, false) + text.substring(start, i));
        k++;
        start = i;
        used = 0;
      }
      used += cost;
      i += n;
    }
    out.add(head + mark(k, true) + text.substring(start));
    return out;
  }

  /** The chars of the unit at {@code i} of an escaped text: an escape, or one code point. */
  private static int unitChars(String s, int i) {
    if (s.charAt(i) == '\\' && i + 1 < s.length()) {
      return switch (s.charAt(i + 1)) {
        case 'x' -> Math.min(4, s.length() - i);
        case 'u' -> Math.min(6, s.length() - i);
        default -> 2;
      };
    }
    return Character.charCount(s.codePointAt(i));
  }

  /**
   * True when {@code text} is at most {@code room} bytes of UTF-8. A char is at most 3 bytes (a
   * surrogate pair 4), so most lines are not measured at all.
   */
  public static boolean fits(CharSequence text, int room) {
    return text.length() * 3 <= room || utf8Length(text) <= room;
  }

  public static int utf8Length(CharSequence s) {
    int n = 0;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (c < 0x80) {
        n++;
      } else if (c < 0x800) {
        n += 2;
      } else if (Character.isHighSurrogate(c)) {
        n += 4;
        i++;
      } else {
        n += 3;
      }
    }
    return n;
  }
}
