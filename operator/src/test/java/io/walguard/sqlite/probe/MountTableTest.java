package io.walguard.sqlite.probe;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.storage.DriverTable;
import io.walguard.storage.StorageKind;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class MountTableTest {

  /** A pod's mountinfo: overlay root, an EFS volume, a block volume, a FUSE volume, and a path with a space. */
  private static final MountTable POD = MountTable.parse(List.of(
      "1520 1400 0:310 / / rw,relatime master:512 - overlay overlay rw,lowerdir=/l,upperdir=/u,workdir=/w",
      "1521 1520 0:312 / /proc rw,nosuid,nodev,noexec,relatime - proc proc rw",
      "1530 1520 0:55 /pvc-0b1e /data rw,relatime - nfs4 fs-1234.efs.us-east-1.amazonaws.com:/ "
          + "rw,vers=4.1,rsize=1048576,hard,proto=tcp,timeo=600,sec=sys,local_lock=none,addr=10.0.0.5",
      "1531 1520 259:3 / /data/cache rw,relatime - ext4 /dev/nvme1n1 rw",
      "1532 1520 0:90 / /mnt/bucket rw,nosuid,nodev,relatime - fuse.gcsfuse my-bucket rw,user_id=0,group_id=0",
      "1533 1520 0:91 / /mnt/with\\040space rw - nfs 10.0.0.9:/export rw,vers=3,nolock,local_lock=all",
      "1534 1520 0:92 / /data/cache rw,relatime - tmpfs tmpfs rw,size=1024k"));

  @ParameterizedTest(name = "{0} is on {1}")
  @CsvSource({
    "/data/app.db, /data, nfs4",
    "/data, /data, nfs4",
    "/database/app.db, /, overlay",
    "/data/cache/x.db, /data/cache, tmpfs",
    "/mnt/bucket/a/b.db, /mnt/bucket, fuse.gcsfuse",
    "/mnt/with space/app.db, /mnt/with space, nfs",
  })
  void longestMountPointOnAComponentBoundaryWinsAndTheLastMountOnAPointIsOnTop(String path, String mountPoint,
      String fstype) {
    MountEntry e = POD.backing(path).orElseThrow();
    assertThat(e.mountPoint()).isEqualTo(mountPoint);
    assertThat(e.fstype()).isEqualTo(fstype);
  }

  @Test
  void keepsSourceRootAndSuperOptions() {
    MountEntry efs = POD.backing("/data/app.db").orElseThrow();
    assertThat(efs.source()).isEqualTo("fs-1234.efs.us-east-1.amazonaws.com:/");
    assertThat(efs.root()).isEqualTo("/pvc-0b1e");
    assertThat(efs.allOptions()).startsWith("rw,relatime,vers=4.1").contains("local_lock=none");
  }

  @Test
  void anOptionInBothTheMountAndTheSuperOptionsIsListedOnce() {
    MountEntry e = MountEntry.parse("40 30 0:50 / /data rw,nosuid,relatime - nfs4 srv:/x rw,vers=4.2,nosuid");
    assertThat(e.allOptions()).isEqualTo("rw,nosuid,relatime,vers=4.2");
  }

  @Test
  void findsTheOptionsThatChangeLocking() {
    MountEntry nfs3 = POD.backing("/mnt/with space/app.db").orElseThrow();
    assertThat(nfs3.optionList().stream().filter(FilesystemProbe::isLockOption).toList())
        .containsExactly("vers=3", "nolock", "local_lock=all");
  }

  @Test
  void skipsLinesItCannotRead() {
    MountTable t = MountTable.parse(List.of("garbage", "", "1 2 3"));
    assertThat(t.entries()).isEmpty();
    assertThat(t.backing("/x")).isEmpty();
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource({
    "nfs4, network", "nfs, network", "cifs, network", "ceph, network", "fuse.ceph-fuse, network",
    "fuse, fuse", "fuse.gcsfuse, fuse", "fuse.bindfs, fuse",
    "ext4, local", "overlay, local", "tmpfs, local",
    "weirdfs, unknown",
  })
  void filesystemTypesAreLookedUpInTheStorageTable(String fstype, StorageKind kind) {
    FilesystemKinds.Match match = FilesystemKinds.of(DriverTable.builtIn(), fstype);
    assertThat(match.kind()).isEqualTo(kind);
    assertThat(match.rule()).startsWith("filesystem type " + fstype);
  }
}
