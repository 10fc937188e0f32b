package io.walguard.sqlite.probe;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class LiveChecksTest {

  @Test
  void aDirectoryWhereNoFileCanBeMadeIsSkippedWithTheSystemsReason() throws Exception {
    LiveChecks.Result result = LiveChecks.withThisJvm().run(Path.of("/proc"));

    assertThat(result.posixLocks().status()).isEqualTo("skipped");
    // Root may write to /proc by its mode bits but the kernel refuses; anyone else is refused by the mode bits.
    assertThat(result.posixLocks().detail()).doesNotStartWith("skipped").doesNotEndWith(".tmp")
        .containsAnyOf("no such file or directory", "is not a writable directory");
    String summary = String.join("\n", FilesystemProbe.forThisProcess().probe(Path.of("/proc")).details());
    assertThat(summary).contains("POSIX locks: skipped: ").doesNotContain("skipped: skipped");
  }

  @Test
  void fileErrorsSayWhyNotJustThePath() {
    assertThat(IoErrors.reason(new AccessDeniedException("/data/.walguard-probe-1.tmp")))
        .isEqualTo("permission denied");
    assertThat(IoErrors.reason(new NoSuchFileException("/proc/.walguard-probe-1.tmp")))
        .isEqualTo("no such file or directory");
    assertThat(IoErrors.reason(new FileSystemException("/ro/.walguard-probe-1.tmp", null, "Read-only file system")))
        .isEqualTo("Read-only file system");
    assertThat(IoErrors.reason(new IOException("Input/output error"))).isEqualTo("Input/output error");
  }
}
