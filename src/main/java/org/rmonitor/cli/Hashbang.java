package org.rmonitor.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * Linux hands everything after the interpreter path of a {@code #!} line to the interpreter as one
 * argument, blanks and all; this splits it into words. The kernel knows no quoting, so neither does
 * this: a blank always separates words.
 */
public final class Hashbang {
  private Hashbang() {}

  /** True when an argument can only have come from a hashbang line: it holds a blank. */
  public static boolean isHashbangArgument(String arg) {
    return arg.indexOf(' ') >= 0 || arg.indexOf('\t') >= 0;
  }

  public static List<String> split(String arg) {
    List<String> words = new ArrayList<>();
    int i = 0;
    int n = arg.length();
    while (i < n) {
      while (i < n && isBlank(arg.charAt(i))) i++;
      int start = i;
      while (i < n && !isBlank(arg.charAt(i))) i++;
      if (i > start) words.add(arg.substring(start, i));
    }
    return words;
  }

  private static boolean isBlank(char c) {
    return c == ' ' || c == '\t';
  }
}
