package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class HolderFileTest {
  final Holder etc = new Holder(10200, 88123456, Instant.parse("2013-03-09T04:40:03Z"), "cron.daily/21.daily.backup.etc");
  final Holder odd = new Holder(7, 1, Instant.parse("2013-03-09T04:40:04Z"), "cron.daily/name with blanks");

  @Test
  void formatsForPeopleAndParsesBack() {
    HolderFile f = new HolderFile(true, List.of(etc, odd));
    String text = f.format("UsbBackup");
    assertThat(text)
        .isEqualTo(
            """
            # rmonitor resource UsbBackup: changed only under its lock
            prepared yes
            holder pid=10200 start=88123456 since=2013-03-09T04:40:03Z job=cron.daily/21.daily.backup.etc
            holder pid=7 start=1 since=2013-03-09T04:40:04Z job=cron.daily/name with blanks
            """);
    assertThat(HolderFile.parse(text)).isEqualTo(f);
  }

  @Test
  void anEmptyFileIsAnUnusedResource() {
    assertThat(HolderFile.parse("")).isEqualTo(HolderFile.EMPTY);
  }

  @Test
  void anythingElseIsRefusedWithItsLineNumber() {
    assertThatThrownBy(() -> HolderFile.parse("prepared yes\nholder pid=x\n"))
        .hasMessage("line 2 is not understood: holder pid=x");
    assertThatThrownBy(() -> HolderFile.parse("prepared maybe")).hasMessageContaining("line 1");
    assertThatThrownBy(() -> HolderFile.parse("holder pid=1 start=99999999999999999999 since=2013-03-09T04:40:03Z job=j"))
        .hasMessageContaining("line 1");
  }
}
