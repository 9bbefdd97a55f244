package org.rmonitor.resource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.rmonitor.UserError;

/** On a real file system: jimfs knows no owners, modes or sticky bits. */
class TrustedPathTest {
  @TempDir Path tmp;

  @Test
  void aPrivateDirectoryIsMadeWithMode700AndReused() throws Exception {
    Path d = TrustedPath.privateDirectory(tmp.resolve("rmonitor-0"));
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(d))).isEqualTo("rwx------");
    assertThat(TrustedPath.privateDirectory(d)).isEqualTo(d);
  }

  @Test
  void aPrivateDirectoryThatOthersCanEnterOrThatIsASymlinkIsRefused() throws Exception {
    Path open = Files.createDirectory(tmp.resolve("open"));
    Files.setPosixFilePermissions(open, PosixFilePermissions.fromString("rwxr-xr-x"));
    assertThatThrownBy(() -> TrustedPath.privateDirectory(open)).isInstanceOf(UserError.class).hasMessageContaining("mode 700");
    Path link = Files.createSymbolicLink(tmp.resolve("link"), open);
    assertThatThrownBy(() -> TrustedPath.privateDirectory(link)).isInstanceOf(UserError.class);
  }

  @Test
  void aRootOwnedStickyDirectoryIsSafeAndAWorldWritableOneIsNot() throws Exception {
    TrustedPath.checkDirectory(Path.of("/tmp"), "lock directory");
    Path shared = Files.createDirectory(tmp.resolve("shared"));
    Files.setPosixFilePermissions(shared, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> TrustedPath.checkDirectory(shared, "lock directory"))
        .hasMessage("lock directory " + shared + ": " + shared + " is writable by others (mode 777)");
  }

  @Test
  void rootsLockDirectoryIsMadeRootOnlyAndOneThatOthersCanWriteOrOwnIsRefused() throws Exception {
    org.junit.jupiter.api.Assumptions.assumeTrue(TrustedPath.euid() == 0, "needs root, as cron runs it");
    Path made = tmp.resolve("rmonitor");
    TrustedPath.rootOnlyDirectory(made, "lock directory");
    assertThat(Files.isDirectory(made)).isTrue();
    assertThat(Files.getPosixFilePermissions(made)).doesNotContain(
        java.nio.file.attribute.PosixFilePermission.GROUP_WRITE, java.nio.file.attribute.PosixFilePermission.OTHERS_WRITE);
    TrustedPath.rootOnlyDirectory(made, "lock directory"); // checked again on every use

    Files.setPosixFilePermissions(made, PosixFilePermissions.fromString("rwxrwxrwx"));
    assertThatThrownBy(() -> TrustedPath.rootOnlyDirectory(made, "lock directory"))
        .isInstanceOf(UserError.class).hasMessageContaining("only root may write it");

    Path planted = Files.createDirectory(tmp.resolve("planted"));
    Files.setAttribute(planted, "unix:uid", 65534); // as `mkdir` by nobody would leave it
    assertThatThrownBy(() -> TrustedPath.rootOnlyDirectory(planted, "lock directory"))
        .hasMessageContaining("owned by uid 65534");

    Path link = Files.createSymbolicLink(tmp.resolve("link"), made);
    assertThatThrownBy(() -> TrustedPath.rootOnlyDirectory(link, "lock directory")).hasMessageContaining("not a directory");
  }
}
