package org.rmonitor.job;

import java.nio.file.Path;
import org.rmonitor.cli.Options;
import org.rmonitor.log.Escaper;

/**
 * One run of one script: {@code base} is the directory holding it (cron.daily), {@code name} its
 * file name, {@code pid} the monitor's, the PID an operator kills. Names come from the file
 * system and are escaped like any other untrusted text.
 */
public record Job(String base, String name, long pid, Options options) {
  public static Job of(Options options, long pid) {
    Path script = options.script();
    Path dir = script.getParent();
    String base = dir == null || dir.getFileName() == null ? "/" : dir.getFileName().toString();
    return new Job(tag(base), tag(script.getFileName().toString()), pid, options);
  }

  /** {@code 21.daily.backup.etc[10200]}: the syslog tag of the job's own lines. */
  public String ident() {
    return name + "[" + pid + "]";
  }

  /** {@code cron.daily/21.daily.backup.etc}: how a holder file names the job. */
  public String path() {
    return base + "/" + name;
  }

  /** A syslog tag ends at a blank or a colon: those are escaped too. */
  static String tag(String s) {
    return Escaper.escape(s).replace(" ", "\\x20").replace(":", "\\x3a");
  }
}
