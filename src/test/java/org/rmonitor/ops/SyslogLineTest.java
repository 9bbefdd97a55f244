package org.rmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class SyslogLineTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        // traditional (sysklogd, rsyslog's traditional template)
        "Mar  9 04:40:03 merlin 21.daily.backup.etc[10200]: JOB Begins | Mar  9 04:40:03 | merlin | 21.daily.backup.etc[10200] | JOB Begins",
        "Mar 29 04:40:01 merlin cron.daily: JOB 20.daily.backup.etc[22090] Launched | Mar 29 04:40:01 | merlin | cron.daily | JOB 20.daily.backup.etc[22090] Launched",
        "Mar 29 04:40:01 merlin rmonitor: 20.daily.backup.etc[22090]: JOB Begins | Mar 29 04:40:01 | merlin | rmonitor | 20.daily.backup.etc[22090]: JOB Begins",
        // rsyslog's default, RFC 3339
        "2026-11-25T03:57:25.245247+00:00 vm rmonitor: j[1]: JOB Begins | 2026-11-25T03:57:25.245247+00:00 | vm | rmonitor | j[1]: JOB Begins",
        // rsyslog writing an RFC 5424 message received from a collector: no colon after the tag
        "2026-11-25T03:57:25Z vm j[1] to the collector | 2026-11-25T03:57:25Z | vm | j[1] | to the collector",
        // busybox syslogd: FACILITY.LEVEL after the host, or <PRI> when syslog.h names none
        "Nov 30 04:40:03 merlin local1.info 21.daily.backup.etc[10200]: JOB Begins | Nov 30 04:40:03 | merlin | 21.daily.backup.etc[10200] | JOB Begins",
        "Nov 30 04:40:03 merlin local1.err j[7]: tar: Cannot stat | Nov 30 04:40:03 | merlin | j[7] | tar: Cannot stat",
        "Nov 30 04:40:03 merlin <191> j[7]: x | Nov 30 04:40:03 | merlin | j[7] | x",
        "Nov 30 04:40:03 merlin local1.info cron.daily: JOB j[7] Launched | Nov 30 04:40:03 | merlin | cron.daily | JOB j[7] Launched",
        // busybox syslogd -S: neither host nor facility
        "Nov 30 04:40:03 21.daily.backup.etc[10200]: JOB Begins | Nov 30 04:40:03 | '' | 21.daily.backup.etc[10200] | JOB Begins",
        // a launcher's tag that looks like FACILITY.LEVEL but is not one, without its colon
        "Nov 30 04:40:03 merlin cron.daily JOB j[7] Launched | Nov 30 04:40:03 | merlin | cron.daily | JOB j[7] Launched",
        "Nov 30 04:40:03 merlin tag: | Nov 30 04:40:03 | merlin | tag | ''",
      })
  void readsEachFormat(String raw, String stamp, String host, String tag, String message) {
    SyslogLine l = SyslogLine.parse(raw);
    assertThat(l).isNotNull();
    assertThat(l.stamp()).isEqualTo(stamp);
    assertThat(l.host()).isEqualTo(host);
    assertThat(l.tag()).isEqualTo(tag);
    assertThat(l.message()).isEqualTo(message);
  }

  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "{\"time\":\"2026-03-09T04:40:03\",\"host\":\"merlin\",\"msg\":\"JOB Begins\"}",
        "Foo  9 04:40:03 merlin j[1]: JOB Begins",
        "Mar  9 04:40 merlin j[1]: JOB Begins",
        "Mar  9 04:40:03 merlin",
        "2026-03-09 04:40:03 merlin j[1]: JOB Begins",
        "merlin j[1]: JOB Begins",
      })
  void readsNoOtherFormat(String raw) {
    assertThat(SyslogLine.parse(raw)).isNull();
  }
}
