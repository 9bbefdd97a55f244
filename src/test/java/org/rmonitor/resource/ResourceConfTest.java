package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalInt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.UserError;

class ResourceConfTest {
  @TempDir Path tmp;

  @Test
  void readsTheLimitAmongCommentsAndBlankLines() {
    assertThat(ResourceConf.parse("# one backup at a time\n\n  limit = 1 \r\n").limit()).isEqualTo(OptionalInt.of(1));
    assertThat(ResourceConf.parse("limit=999").limit()).isEqualTo(OptionalInt.of(999));
    assertThat(ResourceConf.parse("").limit()).isEmpty();
    assertThat(ResourceConf.parse("# limit=1\n").limit()).isEmpty();
  }

  @Test
  void eachMistakeIsRefusedNamingItsLine() {
    String[][] table = {
      {"limit=0", "line 1: limit must be a whole number from 1 to 999, not \"0\""},
      {"# x\nlimit=two", "line 2: limit must be a whole number from 1 to 999, not \"two\""},
      {"limit=", "line 1: limit must be a whole number from 1 to 999, not \"\""},
      {"limit=-1", "line 1: limit must be a whole number from 1 to 999, not \"-1\""},
      {"limit=1000", "line 1: limit must be a whole number from 1 to 999, not \"1000\""},
      {"limit=1 # one", "line 1: limit must be a whole number from 1 to 999, not \"1 # one\""},
      {"limit=1\n\nlimit=2", "line 3: limit is set twice (first on line 1)"},
      {"limt=1", "line 1: unknown key \"limt\"; the only key is limit"},
      {"limit 1", "line 1: not KEY=VALUE: \"limit 1\""},
      {"\u0007=1", "line 1: unknown key \"?\"; the only key is limit"},
    };
    for (String[] row : table) {
      assertThatThrownBy(() -> ResourceConf.parse(row[0])).as(row[0]).hasMessage(row[1]);
    }
  }

  @Test
  void theShippedExampleIsNoLimitUntilItsLimitLineIsUncommented() throws Exception {
    String example = Files.readString(Path.of("exits/UsbBackup.conf"));
    assertThat(ResourceConf.parse(example).limit()).isEmpty();
    assertThat(ResourceConf.parse(example.replace("#limit=1", "limit=1")).limit()).isEqualTo(OptionalInt.of(1));
  }

  @Test
  void aMissingFileIsNoLimit() throws Exception {
    assertThat(ResourceConf.read(tmp, "UsbBackup")).isEqualTo(ResourceConf.NONE);
  }

  @Test
  void aFileIsReadAndAMistakeNamesTheFileAndTheLine() throws Exception {
    Path conf = Files.writeString(tmp.resolve("UsbBackup.conf"), "limit=2\n");
    assertThat(ResourceConf.read(tmp, "UsbBackup").limit()).isEqualTo(OptionalInt.of(2));
    Files.writeString(conf, "limit=2\nwait=yes\n");
    assertThatThrownBy(() -> ResourceConf.read(tmp, "UsbBackup"))
        .isInstanceOf(UserError.class)
        .hasMessage("settings of resource UsbBackup: " + conf + " line 2: unknown key \"wait\"; the only key is limit")
        .extracting(e -> ((UserError) e).exitCode).isEqualTo(78);
  }

  @Test
  void aFileOthersCanWriteIsRefusedLikeAnExitProgram() throws Exception {
    Path conf = Files.writeString(tmp.resolve("UsbBackup.conf"), "limit=1\n");
    Files.setPosixFilePermissions(conf, PosixFilePermissions.fromString("rw-rw-rw-"));
    assertThatThrownBy(() -> ResourceConf.read(tmp, "UsbBackup"))
        .hasMessage("settings of resource UsbBackup: " + conf + ": " + conf + " is writable by others (mode 666)");
  }

  @Test
  void aDirectoryOrAnOversizedFileIsRefused() throws Exception {
    Files.createDirectory(tmp.resolve("Dir1234.conf"));
    assertThatThrownBy(() -> ResourceConf.read(tmp, "Dir1234")).hasMessageEndingWith("not a regular file");
    Files.writeString(tmp.resolve("Big1234.conf"), "#".repeat(70_000));
    assertThatThrownBy(() -> ResourceConf.read(tmp, "Big1234")).hasMessageEndingWith("larger than 64 KiB; refusing it");
  }
}
