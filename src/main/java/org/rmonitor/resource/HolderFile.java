package org.rmonitor.resource;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of a resource's lock file, the record of its state an administrator can read:
 *
 * <pre>
 * # rmonitor resource UsbBackup: changed only under its lock
 * prepared yes
 * holder pid=10200 start=88123456 since=2026-03-09T04:40:03Z job=cron.daily/21.daily.backup.etc
 * </pre>
 */
public record HolderFile(boolean prepared, List<Holder> holders) {
  private static final Pattern HOLDER =
      Pattern.compile("holder pid=([0-9]{1,10}) start=([0-9]{1,19}) since=(\\S+) job=(\\S.*)");

  public static final HolderFile EMPTY = new HolderFile(false, List.of());

  public HolderFile {
    holders = List.copyOf(holders);
  }

  public String format(String resource) {
    StringBuilder s = new StringBuilder();
    s.append("# rmonitor resource ").append(resource).append(": changed only under its lock\n");
    s.append("prepared ").append(prepared ? "yes" : "no").append('\n');
    for (Holder h : holders) {
      s.append("holder pid=").append(h.pid()).append(" start=").append(h.startTicks());
      s.append(" since=").append(h.since()).append(" job=").append(h.job()).append('\n');
    }
    return s.toString();
  }

  /** Parses a lock file's text; an empty file is a resource nobody has used yet. */
  public static HolderFile parse(String text) throws IllegalArgumentException {
    boolean prepared = false;
    List<Holder> holders = new ArrayList<>();
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) continue;
      if (line.equals("prepared yes") || line.equals("prepared no")) {
        prepared = line.equals("prepared yes");
        continue;
      }
      Matcher m = HOLDER.matcher(line);
      try {
        if (m.matches()) {
          holders.add(
              new Holder(
                  Long.parseLong(m.group(1)),
                  Long.parseLong(m.group(2)),
                  Instant.parse(m.group(3)),
                  m.group(4)));
          continue;
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        // reported below with the line number
      }
      throw new IllegalArgumentException("line " + (i + 1) + " is not understood: " + line);
    }
    return new HolderFile(prepared, holders);
  }
}
