package org.rmonitor.ops;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.cli.Options;
import org.rmonitor.resource.Holder;
import org.rmonitor.resource.HolderFile;

/** rmonitor status reads lock files that anyone may have planted: it trusts none of them. */
@Timeout(30)
class StatusHostileTest {
  @TempDir Path locks;

  private String status() throws Exception {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    Status.run(locks, Options.Defaults.of(0, java.util.Map.of(), true, "/usr/local"), new PrintStream(out, true, StandardCharsets.UTF_8));
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void aHugeSparseLockFileIsRefusedWithoutReadingIt() throws Exception {
    try (RandomAccessFile f = new RandomAccessFile(locks.resolve("rmonitor.HugeDisk.lock").toFile(), "rw")) {
      f.setLength(1L << 30); // 1 GiB, sparse: costs no disk
    }
    assertThat(status()).contains("HugeDisk", "REFUSED: lock file " + locks.resolve("rmonitor.HugeDisk.lock") + ": larger than 1 MiB; refusing it");
  }

  @Test
  void namesWithEscapeSequencesArePrintedEscaped() throws Exception {
    Holder evil = new Holder(1, 1, Instant.parse("2026-11-30T04:40:00Z"), "", "", "cron.daily/\u001b[2Jgotcha");
    Files.writeString(locks.resolve("rmonitor.EvilDisk.lock"), new HolderFile(true, List.of(evil)).format("EvilDisk"));
    String shown = status();
    assertThat(shown).doesNotContain("\u001b").contains("cron.daily/\\x1b[2Jgotcha[1]");
  }

  @Test
  void anUndecodableOrForeignFileIsOneClearLine() throws Exception {
    Files.write(locks.resolve("rmonitor.BadBytes.lock"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 'x'});
    Files.createSymbolicLink(locks.resolve("rmonitor.LinkDisk.lock"), Path.of("/etc/passwd"));
    String shown = status();
    assertThat(shown).contains("BadBytes", "DAMAGED").doesNotContain("\u0000", "\u0001");
    assertThat(shown).contains("LinkDisk", "REFUSED: lock file " + locks.resolve("rmonitor.LinkDisk.lock") + ": is a symlink; refusing it");
    assertThat(shown).doesNotContain("Exception", "root:");
  }
}
