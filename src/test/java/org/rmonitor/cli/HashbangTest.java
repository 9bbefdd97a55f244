package org.rmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class HashbangTest {
  @ParameterizedTest
  @CsvSource(
      delimiter = '|',
      value = {
        "-L UsbBackup,DailyBackups /bin/bash | -L;UsbBackup,DailyBackups;/bin/bash",
        "UsbBackup /bin/sh                   | UsbBackup;/bin/sh",
        "'  UsbBackup\t\t/bin/sh  '          | UsbBackup;/bin/sh",
        "'UsbBackup \"/bin/my sh\"'          | UsbBackup;\"/bin/my;sh\"",
        "UsbBackup                           | UsbBackup",
        "''                                  | ''",
      })
  void splitsOnBlanksOnlyAsTheKernelPassedThem(String arg, String words) {
    List<String> expected = words.isEmpty() ? List.of() : Arrays.asList(words.split(";"));
    assertThat(Hashbang.split(arg)).isEqualTo(expected);
  }

  @ParameterizedTest
  @CsvSource({"'-L UsbBackup', true", "'UsbBackup\t/bin/sh', true", "UsbBackup, false", "/etc/cron.daily/x, false"})
  void onlyAnArgumentWithABlankComesFromAHashbang(String arg, boolean expected) {
    assertThat(Hashbang.isHashbangArgument(arg)).isEqualTo(expected);
  }
}
