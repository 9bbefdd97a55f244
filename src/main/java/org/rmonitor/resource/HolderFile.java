package org.rmonitor.resource;

import java.nio.charset.StandardCharsets;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;

/**
 * The content of a resource's lock file, the record of its state an administrator can read:
 *
 * <pre>
 * # rmonitor resource UsbBackup: changed only under its lock
 * written host=merlin boot=0c6a3b9e-4c1f-4a53-9d1e-4f2d8e0b7a11
 * prepared yes
 * holder pid=10200 start=88123456 since=2026-03-09T04:40:03Z host=merlin boot=0c6a… job=cron.daily/21.daily.backup.etc
 * waiter pid=10266 start=88123490 since=2026-03-09T04:40:03.512Z host=merlin boot=0c6a… job=cron.daily/21.daily.backup.userdirs
 * end crc32=5e1f0a7c
 * </pre>
 *
 * {@code waiter} lines are the jobs a concurrency limit keeps waiting for their turn, in the
 * order they asked for the resource ({@code since}: when they asked); a waiter counts as wanting
 * the resource, so nobody runs POST while one is live.
 *
 * An {@code exit phase=PREP pid=… start=… by HOLDER} line records an exit in progress. The file is
 * rewritten in place (new text, then truncated to its length): the {@code end} line with the CRC
 * of everything above it tells a complete state from a torn one, whether a crash came between
 * the write and the truncation (text after {@code end} is ignored) or a reader without the lock
 * came in the middle of a write. A state without a valid end is read conservatively ({@link
 * #intact} false): prepared, with every holder that can be parsed, so nobody runs POST under a
 * holder that the damage hid.
 */
public record HolderFile(
    boolean prepared,
    List<Holder> holders,
    List<Holder> waiters,
    Optional<ExitRun> exit,
    String host,
    String boot,
    boolean intact) {
  private static final String HOLDER_FIELDS =
      "pid=([0-9]{1,10}) start=([0-9]{1,19}) since=(\\S+)(?: host=(\\S+))?(?: boot=(\\S+))? job=(\\S.*)";
  private static final Pattern HOLDER = Pattern.compile("holder " + HOLDER_FIELDS);
  private static final Pattern WAITER = Pattern.compile("waiter " + HOLDER_FIELDS);
  private static final Pattern EXIT =
      Pattern.compile("exit phase=(PREP|POST) pid=([0-9]{1,10}) start=([0-9]{1,19}) by " + HOLDER_FIELDS);
  private static final Pattern WRITTEN = Pattern.compile("written host=(\\S+) boot=(\\S+)");
  private static final String END = "end crc32=";

  public static final HolderFile EMPTY =
      new HolderFile(false, List.of(), List.of(), Optional.empty(), "", "", true);

  public HolderFile {
    holders = List.copyOf(holders);
    waiters = List.copyOf(waiters);
  }

  public HolderFile(boolean prepared, List<Holder> holders) {
    this(prepared, holders, List.of(), Optional.empty(), "", "", true);
  }

  /** The same waiters, with this much changed. */
  public HolderFile with(boolean prepared, List<Holder> holders, Optional<ExitRun> exit) {
    return new HolderFile(prepared, holders, waiters, exit, host, boot, true);
  }

  /** The same state with these waiters, first come first. */
  public HolderFile withWaiters(List<Holder> waiters) {
    return new HolderFile(prepared, holders, waiters, exit, host, boot, true);
  }

  /** The same state as written by {@code host} in {@code boot}. */
  public HolderFile writtenBy(String host, String boot) {
    return new HolderFile(prepared, holders, waiters, exit, host, boot, intact);
  }

  public String format(String resource) {
    StringBuilder s = new StringBuilder();
    s.append("# rmonitor resource ").append(resource).append(": changed only under its lock\n");
    if (!host.isEmpty()) s.append("written host=").append(host).append(" boot=").append(boot).append('\n');
    s.append("prepared ").append(prepared ? "yes" : "no").append('\n');
    exit.ifPresent(
        e -> s.append("exit phase=").append(e.phase()).append(" pid=").append(e.pid()).append(" start=")
            .append(e.startTicks()).append(" by ").append(fields(e.by())).append('\n'));
    for (Holder h : holders) s.append("holder ").append(fields(h)).append('\n');
    for (Holder w : waiters) s.append("waiter ").append(fields(w)).append('\n');
    String crc = crc(s.toString());
    return s.append(END).append(crc).append('\n').toString();
  }

  private static String fields(Holder h) {
    StringBuilder s = new StringBuilder();
    s.append("pid=").append(h.pid()).append(" start=").append(h.startTicks()).append(" since=").append(UtcSecond.format(h.since()));
    if (!h.host().isEmpty()) s.append(" host=").append(h.host());
    if (!h.boot().isEmpty()) s.append(" boot=").append(h.boot());
    return s.append(" job=").append(h.job()).toString();
  }

  private static String crc(String text) {
    CRC32 crc = new CRC32();
    crc.update(text.getBytes(StandardCharsets.UTF_8));
    return HexFormat.of().toHexDigits((int) crc.getValue());
  }

  /**
   * Parses a lock file's text. An empty file is a resource nobody has used yet; a complete state
   * must parse line by line; one without a valid end is read conservatively.
   */
  public static HolderFile parse(String text) throws IllegalArgumentException {
    if (text.isEmpty()) return EMPTY;
    int end = text.startsWith(END) ? 0 : text.indexOf("\n" + END) + 1;
    boolean intact = false;
    if (end > 0 || text.startsWith(END)) {
      int eol = text.indexOf('\n', end);
      String stated = text.substring(end + END.length(), eol < 0 ? text.length() : eol);
      intact = stated.equals(crc(text.substring(0, end)));
    }
    return intact ? lines(text.substring(0, end), true) : lines(text, false);
  }

  private static HolderFile lines(String text, boolean strict) {
    boolean prepared = !strict; // a torn state may hide that the resource is prepared
    List<Holder> holders = new ArrayList<>();
    List<Holder> waiters = new ArrayList<>();
    Optional<ExitRun> exit = Optional.empty();
    String host = "";
    String boot = "";
    String[] lines = text.split("\n");
    for (int i = 0; i < lines.length; i++) {
      String line = lines[i];
      if (line.isBlank() || line.startsWith("#")) continue;
      try {
        Matcher m;
        if (strict && (line.equals("prepared yes") || line.equals("prepared no"))) {
          prepared = line.equals("prepared yes");
          continue;
        }
        if ((m = WRITTEN.matcher(line)).matches()) {
          host = m.group(1);
          boot = m.group(2);
          continue;
        }
        if ((m = HOLDER.matcher(line)).matches()) {
          holders.add(holder(m, 1));
          continue;
        }
        if ((m = WAITER.matcher(line)).matches()) {
          waiters.add(holder(m, 1));
          continue;
        }
        if ((m = EXIT.matcher(line)).matches()) {
          exit = Optional.of(new ExitRun(m.group(1), Long.parseLong(m.group(2)), Long.parseLong(m.group(3)), holder(m, 4)));
          continue;
        }
      } catch (NumberFormatException | DateTimeParseException e) {
        // reported below with the line number
      }
      if (strict) throw new IllegalArgumentException("line " + (i + 1) + " is not understood: " + line);
    }
    return new HolderFile(prepared, holders, waiters, exit, host, boot, strict);
  }

  private static Holder holder(Matcher m, int g) {
    return new Holder(
        Long.parseLong(m.group(g)),
        Long.parseLong(m.group(g + 1)),
        UtcSecond.parse(m.group(g + 2)),
        m.group(g + 3) == null ? "" : m.group(g + 3),
        m.group(g + 4) == null ? "" : m.group(g + 4),
        m.group(g + 5));
  }
}
