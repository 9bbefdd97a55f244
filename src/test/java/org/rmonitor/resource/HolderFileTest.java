package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class HolderFileTest {
  final Holder etc = new Holder(10200, 88123456, Instant.parse("2013-03-09T04:40:03Z"), "merlin", "b1", "cron.daily/21.daily.backup.etc");
  final Holder odd = new Holder(7, 1, Instant.parse("2013-03-09T04:40:04Z"), "", "", "cron.daily/name with blanks");

  @Test
  void formatsForPeopleWithAnEndLineAndParsesBack() {
    HolderFile f = new HolderFile(true, List.of(etc, odd)).writtenBy("merlin", "b1");
    String text = f.format("UsbBackup");
    assertThat(text)
        .startsWith(
            """
            # rmonitor resource UsbBackup: changed only under its lock
            written host=merlin boot=b1
            prepared yes
            holder pid=10200 start=88123456 since=2013-03-09T04:40:03Z host=merlin boot=b1 job=cron.daily/21.daily.backup.etc
            holder pid=7 start=1 since=2013-03-09T04:40:04Z job=cron.daily/name with blanks
            end crc32=""")
        .matches("(?s).*end crc32=[0-9a-f]{8}\n");
    assertThat(HolderFile.parse(text)).isEqualTo(f);
  }

  @Test
  void anExitInProgressIsRecordedWithWhoRunsIt() {
    HolderFile f = HolderFile.EMPTY.with(false, List.of(), Optional.of(new ExitRun("PREP", 4321, 99, etc)));
    HolderFile back = HolderFile.parse(f.format("UsbBackup"));
    assertThat(back.exit()).contains(new ExitRun("PREP", 4321, 99, etc));
    assertThat(f.format("UsbBackup")).contains("exit phase=PREP pid=4321 start=99 by pid=10200 ");
  }

  @Test
  void waitersFollowTheHoldersInTheOrderTheyCameAndParseBackInThatOrder() {
    Holder late = new Holder(11, 2, Instant.parse("2013-03-09T04:40:05.250Z"), "merlin", "b1", "cron.daily/late");
    HolderFile f = new HolderFile(true, List.of(etc)).withWaiters(List.of(late, odd)).writtenBy("merlin", "b1");
    String text = f.format("UsbBackup");
    assertThat(text)
        .contains(
            """
            holder pid=10200 start=88123456 since=2013-03-09T04:40:03Z host=merlin boot=b1 job=cron.daily/21.daily.backup.etc
            waiter pid=11 start=2 since=2013-03-09T04:40:05.250Z host=merlin boot=b1 job=cron.daily/late
            waiter pid=7 start=1 since=2013-03-09T04:40:04Z job=cron.daily/name with blanks
            end crc32=""");
    assertThat(HolderFile.parse(text)).isEqualTo(f);
    assertThat(HolderFile.parse(text).waiters()).containsExactly(late, odd);
    assertThat(f.with(false, List.of(), Optional.empty()).waiters()).as("kept by with").containsExactly(late, odd);
    String torn = text.substring(0, text.indexOf("waiter pid=7"));
    assertThat(HolderFile.parse(torn).waiters()).as("a torn state keeps the waiters it shows").containsExactly(late);
  }

  @Test
  void anEmptyFileIsAnUnusedResource() {
    assertThat(HolderFile.parse("")).isEqualTo(HolderFile.EMPTY);
  }

  @Test
  void oldBytesAfterTheEndLineAreWhatACrashBeforeTheTruncationLeft() {
    String longer = new HolderFile(true, List.of(etc, odd)).format("UsbBackup");
    String shorter = new HolderFile(false, List.of()).format("UsbBackup");
    HolderFile read = HolderFile.parse(shorter + longer.substring(shorter.length()));
    assertThat(read.intact()).isTrue();
    assertThat(read.prepared()).isFalse();
    assertThat(read.holders()).isEmpty();
  }

  @Test
  void aTornOrDamagedStateIsReadAsPreparedWithEveryHolderThatParses() {
    String full = new HolderFile(false, List.of(etc, odd)).format("UsbBackup");
    // A reader in the middle of a write: the first half new, no end line.
    String torn = full.substring(0, full.indexOf("holder pid=7"));
    HolderFile read = HolderFile.parse(torn);
    assertThat(read.intact()).isFalse();
    assertThat(read.prepared()).as("conservative").isTrue();
    assertThat(read.holders()).containsExactly(etc);
    // A wrong CRC: a changed byte.
    HolderFile flipped = HolderFile.parse(full.replace("prepared no", "prepared ok"));
    assertThat(flipped.intact()).isFalse();
    assertThat(flipped.prepared()).isTrue();
    assertThat(flipped.holders()).containsExactly(etc, odd);
    // Garbage, and a file of the version before this one (no end line).
    assertThat(HolderFile.parse("\0\0\0garbage").holders()).isEmpty();
    assertThat(HolderFile.parse("\0\0\0garbage").prepared()).isTrue();
    assertThat(HolderFile.parse("prepared no\nholder pid=1 start=2 since=2013-03-09T04:40:03Z job=j\n").holders()).hasSize(1);
  }

  @Test
  void aCompleteStateWithALineNotUnderstoodIsRefusedWithItsLineNumber() {
    String bad = "prepared yes\nholder pid=x\n";
    String text = bad + "end crc32=" + crc(bad) + "\n";
    assertThatThrownBy(() -> HolderFile.parse(text)).hasMessage("line 2 is not understood: holder pid=x");
  }

  private static String crc(String s) {
    java.util.zip.CRC32 c = new java.util.zip.CRC32();
    c.update(s.getBytes(java.nio.charset.StandardCharsets.UTF_8));
    return java.util.HexFormat.of().toHexDigits((int) c.getValue());
  }
}
