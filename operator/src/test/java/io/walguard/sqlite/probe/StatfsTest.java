package io.walguard.sqlite.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.storage.DriverTable;
import io.walguard.storage.StorageKind;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class StatfsTest {

  static final StatfsTypes TYPES = StatfsTypes.builtIn();

  @TempDir Path dir;

  @ParameterizedTest(name = "f_type {0} with mount type {1} -> {2}")
  @CsvSource({
      "6969,     nfs4,           nfs,      true",
      "6969,     nfs,            nfs,      true",
      "6969,     ext4,           nfs,      false",
      "ff534d42, cifs,           cifs,     true",
      "fe534d42, smb3,           smb3,     true",
      "c36400,   ceph,           ceph,     true",
      "65735546, fuse.gcsfuse,   fuse,     true",
      "65735546, fuse,           fuse,     true",
      "65735546, virtiofs,       fuse,     true",
      "65735546, ext4,           fuse,     false",
      "ef53,     ext4,           ext4,     true",
      "1021994,  tmpfs,          tmpfs,    true",
      "58465342, nfs4,           xfs,      false",
  })
  void theMagicNumberTableKnowsTheNamesTheMountTableUses(String hex, String fstype, String first, boolean agrees) {
    var type = TYPES.of(Long.parseUnsignedLong(hex, 16)).orElseThrow();
    assertThat(type.names().get(0)).isEqualTo(first);
    assertThat(type.includes(fstype)).isEqualTo(agrees);
  }

  @Test
  void everyNameInTheTableIsAFilesystemTheStorageTableClassifies() {
    DriverTable drivers = DriverTable.builtIn();
    assertThat(TYPES.of(0x6969)).isPresent();
    for (String hex : List.of("ef53", "6969", "ff534d42", "fe534d42", "c36400", "65735546", "1021994", "794c7630")) {
      var type = TYPES.of(Long.parseUnsignedLong(hex, 16)).orElseThrow();
      assertThat(FilesystemKinds.of(drivers, type.names().get(0)).kind()).as(hex).isNotEqualTo(StorageKind.unknown);
    }
  }

  @Test
  void coreutilsStatReadsTheRealFilesystemTypeOfAPath() {
    Statfs.Answer answer = Statfs.withCoreutils().read(dir, "tmpfs");

    assertThat(answer.unavailable()).isNull();
    assertThat(answer.type()).startsWith("0x");
    assertThat(answer.statName()).isNotBlank();
  }

  @Test
  void withoutStatTheAnswerSaysWhyAndTheProbeFallsBackToTheMountTable() throws Exception {
    Statfs missing = new Statfs(List.of("walguard-no-such-stat", "-f"), TYPES);

    Statfs.Answer answer = missing.read(dir, "ext4");

    assertThat(answer.type()).isNull();
    assertThat(answer.unavailable()).contains("cannot run walguard-no-such-stat");
    assertThat(answer.describe()).startsWith("the mount table only (statfs unavailable: ");

    Path mountinfo = Files.writeString(dir.resolve("mountinfo"),
        "27 1 254:0 / / rw,relatime - ext4 /dev/vda rw,discard\n");
    ProbeReport report = new FilesystemProbe(mountinfo, DriverTable.builtIn(), LiveChecks.withThisJvm(), missing)
        .probe(dir);
    assertThat(report.kind()).isEqualTo(StorageKind.local);
    assertThat(report.evidence()).contains("filesystem type ext4").contains("the mount table only");
  }

  @Test
  void whenStatfsDisagreesWithTheMatchedMountEntryTheKernelsAnswerForThePathWins() throws Exception {
    // A mount table that is not this process's: it claims the path is on NFS.
    Path mountinfo = Files.writeString(dir.resolve("mountinfo"),
        "36 1 0:40 / / rw,relatime - nfs4 server:/export rw,vers=4.1,addr=10.0.0.2\n");
    Statfs local = new Statfs(List.of("sh", "-c", "echo 'ef53 ext2/ext3'", "statfs"), TYPES);

    ProbeReport report = new FilesystemProbe(mountinfo, DriverTable.builtIn(), LiveChecks.withThisJvm(), local)
        .probe(dir);

    assertThat(report.kind()).isEqualTo(StorageKind.local);
    assertThat(report.fstype()).isEqualTo("ext4");
    assertThat(report.statfs().agrees()).isFalse();
    assertThat(report.evidence()).contains("from statfs f_type 0xef53").contains("says nfs4");
  }
}
