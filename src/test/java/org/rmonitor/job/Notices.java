package org.rmonitor.job;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.rmonitor.cli.Notice;
import org.rmonitor.cli.Options;
import org.rmonitor.cli.OverlapPolicy;
import org.rmonitor.log.Destination;

/** Jobs with a given notice setting, for the notice's unit tests. */
final class Notices {
  private Notices() {}

  static Job job(Notice notice) {
    Path script = Path.of("/etc/cron.daily/21.daily.backup.etc");
    return Job.of(
        new Options(false, List.of("UsbBackup"), Path.of("/bin/sh"), script, List.of(), Path.of("/var/lock"),
            Path.of("/usr/local/lib/rmonitor"), Destination.parse("syslog"), Path.of("/var/log/rmonitor.undelivered"),
            Duration.ofSeconds(30), Optional.empty(), OverlapPolicy.ALLOW, notice),
        10200);
  }

  /** Cron's rules with this MAILTO (null: unset). */
  static Notice cron(String mailto) {
    return Notice.cron(Optional.ofNullable(mailto));
  }
}
