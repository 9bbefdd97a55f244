package org.rmonitor.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ResourceListTest {
  @ParameterizedTest
  @ValueSource(strings = {"Usb_Bck", "UsbBackup-1", "A234567890123456789Z", "usb-backup,DailyBackups"})
  void acceptsNamesOf7To20Characters(String list) throws Exception {
    assertThat(ResourceList.parse(list)).hasSize(list.split(",").length);
  }

  @ParameterizedTest
  @ValueSource(strings = {"UsbBck", "A234567890123456789ZZ", "Usb Backup", "Usb/Backup", "UsbBäckup", "", ",UsbBackup", "UsbBackup,", "../../etc"})
  void refusesAnythingElse(String list) {
    assertThatThrownBy(() -> ResourceList.parse(list)).isInstanceOf(UsageException.class).hasMessageContaining("'" + list + "'");
  }
}
