package org.rmonitor.log;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import org.junit.jupiter.api.Test;

class SyslogFormatTest {
  final SyslogFormat format = new SyslogFormat(LocalOffset.UTC);
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
  void aHeadMadeOnceASecondFollowsEachChangeOfSecondSeverityAndIdent() {
    // A job's stdout and stderr interleave, and --name-long lines go under another ident.
    String[] idents = {"x[1]", "rmonitor", "x[1]", "y[2]"};
    Severity[] severities = {Severity.INFO, Severity.ERR, Severity.ERR, Severity.INFO, Severity.WARNING};
    for (int i = 0; i < 200; i++) {
      Instant t = march9.plusMillis(i * 370L);
      Severity s = severities[i % severities.length];
      String ident = idents[i % idents.length];
      String expected = "<" + (136 + s.code) + ">" + SyslogFormat.stamp(t.getEpochSecond(), 0) + " " + ident + ": line " + i;
      assertThat(format.datagram(new LogRecord(t, s, ident, "line " + i))).isEqualTo(expected);
    }
    assertThat(new String(format.head(new LogRecord(march9, Severity.INFO, "jöb[3]", "")), java.nio.charset.StandardCharsets.UTF_8))
        .as("an ident in UTF-8").isEqualTo("<142>Mar  9 04:40:03 jöb[3]: ");
  }

  @Test
  void theStampIsWhatDateTimeFormatterWritesInEveryMonthDayAndOffset() {
    java.time.format.DateTimeFormatter jdk =
        java.time.format.DateTimeFormatter.ofPattern("MMM ppd HH:mm:ss", java.util.Locale.ENGLISH);
    java.time.ZoneId berlin = java.time.ZoneId.of("Europe/Berlin");
    LocalOffset local = LocalOffset.of(berlin);
    for (long s = Instant.parse("2023-12-31T22:59:59Z").getEpochSecond(); s < 1735689600L; s += 86_400 + 3_607) {
      assertThat(SyslogFormat.stamp(s, local.at(s))).isEqualTo(jdk.format(Instant.ofEpochSecond(s).atZone(berlin)));
      assertThat(SyslogFormat.stamp(s, -34_200)).isEqualTo(jdk.format(Instant.ofEpochSecond(s).atOffset(ZoneOffset.ofHoursMinutes(-9, -30))));
    }
    // Berlin's clocks went forward at 01:00 UTC on 31 March 2024.
    assertThat(SyslogFormat.stamp(1711846799L, local.at(1711846799L))).isEqualTo("Mar 31 01:59:59");
    assertThat(SyslogFormat.stamp(1711846800L, local.at(1711846800L))).isEqualTo("Mar 31 03:00:00");
  }

  @Test
  void theCLibrarysLocalTimeIsTheJdksForTheSameZone() {
    // Both read TZ, else /etc/localtime, of this test's JVM.
    LocalOffset c = LocalOffset.ofCLibrary(), jdk = LocalOffset.of(java.time.ZoneId.systemDefault());
    for (long s = 0; s < 4_102_444_800L; s += 2_629_800) assertThat(c.at(s)).as("at %d", s).isEqualTo(jdk.at(s));
  }

  @Test
  void aFileLineIsRsyslogsTraditionalFormat() {
    assertThat(format.fileLine(new LogRecord(Instant.parse("2013-03-29T05:16:40Z"), Severity.INFO, "j[2]", "m"), "merlin"))
        .isEqualTo("Mar 29 05:16:40 merlin j[2]: m\n");
  }
}
