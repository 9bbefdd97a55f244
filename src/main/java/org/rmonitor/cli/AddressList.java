package org.rmonitor.cli;

import java.util.ArrayList;
import java.util.List;

/**
 * A comma-separated list of mail addresses, as cron's {@code MAILTO} holds them. Each address
 * becomes one argument of sendmail(8) and part of a {@code To:} header, so one that starts with
 * {@code -} (sendmail would take it for an option) or holds a blank or a control character (it
 * would add a header) is refused, as cron refuses an unsafe {@code MAILTO}.
 */
public final class AddressList {
  private AddressList() {}

  /** The addresses in {@code list}; blanks around the commas and empty entries are dropped. */
  public static List<String> parse(String list) throws UsageException {
    List<String> addresses = new ArrayList<>();
    for (String part : list.split(",", -1)) {
      String a = part.strip();
      if (a.isEmpty()) continue;
      if (a.startsWith("-")) {
        throw new UsageException("address '" + a + "' in '" + list + "' starts with '-': sendmail would read it as an option");
      }
      if (a.chars().anyMatch(c -> c <= ' ' || c == 0x7f)) {
        throw new UsageException(
            "address '" + a.replaceAll("\\p{Cntrl}", "?") + "' holds a blank or a control character");
      }
      addresses.add(a);
    }
    if (addresses.isEmpty()) throw new UsageException("'" + list + "' names no mail address");
    return List.copyOf(addresses);
  }
}
