package org.rmonitor.log;

import java.time.Instant;
import java.time.ZoneId;
import org.rmonitor.os.Native;

/** The offset of local time from UTC at an instant, in seconds: what a local stamp is made with. */
@FunctionalInterface
public interface LocalOffset {
  LocalOffset UTC = epochSecond -> 0;

  int at(long epochSecond);

  /**
   * Local time as the C library reckons it (TZ, else /etc/localtime), as syslog(3) and logger(1)
   * stamp their lines. Not the JDK's ZoneId.systemDefault(): finding the zone and loading the
   * JDK's time-zone database costs a monitor ~8 ms of CPU at start, in the next launch's time.
   */
  static LocalOffset ofCLibrary() {
    return epochSecond -> {
      try {
        return Native.utcOffset(epochSecond);
      } catch (Native.ErrnoException e) {
        return of(ZoneId.systemDefault()).at(epochSecond); // a year the C library cannot hold
      }
    };
  }

  static LocalOffset of(ZoneId zone) {
    return epochSecond -> zone.getRules().getOffset(Instant.ofEpochSecond(epochSecond)).getTotalSeconds();
  }
}
