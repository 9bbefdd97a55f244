package org.rmonitor.proc;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.DataInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * A class file compiled with preview features (minor version 65535) loads only on the release
 * it was compiled for: were any class but PreviewScope one, an installed rmonitor would stop
 * launching the night the system's JDK moves on. The build compiles that class alone with them.
 */
class ClassVersionTest {
  @Test
  void onlyPreviewScopeDependsOnPreviewFeatures() throws Exception {
    Path classes = Path.of(Scope.class.getProtectionDomain().getCodeSource().getLocation().toURI());
    List<String> preview;
    try (Stream<Path> files = Files.walk(classes)) {
      preview =
          files.filter(f -> f.toString().endsWith(".class"))
              .filter(ClassVersionTest::usesPreview)
              .map(f -> classes.relativize(f).toString())
              .sorted()
              .toList();
    }
    assertThat(preview).isNotEmpty().allMatch(f -> f.matches("org/rmonitor/proc/PreviewScope(\\$.*)?\\.class"));
  }

  private static boolean usesPreview(Path classFile) {
    try (InputStream in = Files.newInputStream(classFile); var data = new DataInputStream(in)) {
      data.readInt(); // 0xCAFEBABE
      return data.readUnsignedShort() == 0xFFFF;
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
