package io.walguard.sqlite.support;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.sqlite.util.OSInfo;

/** sqlite-jdbc's native library, unpacked once per test JVM for the child processes it starts. */
final class NativeLibrary {

  static final List<String> FLAGS = unpack();

  private NativeLibrary() {}

  private static List<String> unpack() {
    String name = System.mapLibraryName("sqlitejdbc");
    String resource = "/org/sqlite/native/" + OSInfo.getNativeLibFolderPathForCurrentOS() + "/" + name;
    try (InputStream in = NativeLibrary.class.getResourceAsStream(resource)) {
      if (in == null) return List.of();
      Path dir = Files.createTempDirectory("walguard-test-native");
      Path lib = dir.resolve(name);
      Files.copy(in, lib);
      lib.toFile().deleteOnExit();
      dir.toFile().deleteOnExit();
      return List.of("-Dorg.sqlite.lib.path=" + dir, "-Dorg.sqlite.lib.name=" + name);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
