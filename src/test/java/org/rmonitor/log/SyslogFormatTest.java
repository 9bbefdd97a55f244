package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {
  final SyslogFormat format = new SyslogFormat(ZoneOffset.UTC);
  final Instant march9 = Instant.parse("2013-03-09T04:40:03Z");

  @Test
  void aDatagramIsWhatSyslog3SendsWithFacilityLocal1AndNoHostname() {
    assertThat(format.datagram(new LogRecord(march9, Severity.INFO, "cron.daily", "JOB x[1] Launched")))
        .isEqualTo("<142>Mar  9 04:40:03 cron.daily: JOB x[1] Launched");
    assertThat(format.datagram(new LogRecord(march9, Severity.ERR, "x[1]", "JOB Status 1")))
        .isEqualTo("<139>Mar  9 04:40:03 x[1]: JOB Status 1");
    assertThat(format.datagram(new LogRecord(march9, Severity.WARNING, "rmonitor", "x[1]: WARNING w")))
        .startsWith("<140>");
  }

  @Test
  void aFileLineIsRsyslogsTraditionalFormat() {
    assertThat(format.fileLine(new LogRecord(Instant.parse("2013-03-29T05:16:40Z"), Severity.INFO, "j[2]", "m"), "merlin"))
        .isEqualTo("Mar 29 05:16:40 merlin j[2]: m\n");
  }
}
