package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageKind;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** Every storage rule of DESIGN.md section 10, one volume definition at a time. */
class VolumeStorageTest {

  @TempDir Path dir;

  private static Arguments rule(String volume, StorageKind kind, String evidence) {
    return Arguments.of(volume, kind, evidence, null);
  }

  private static Arguments locks(String volume, String lockEvidence, String evidence) {
    return Arguments.of(volume, StorageKind.network, evidence, lockEvidence);
  }

  static Stream<Arguments> rules() {
    return Stream.of(
        // Docker's local driver, no options: a directory of the host.
        rule("{}", StorageKind.local, "volume db: no driver (Docker's local driver), no driver_opts"),
        rule("{driver: local}", StorageKind.local, "volume db: driver local, no driver_opts"),
        rule("{driver: LOCAL}", StorageKind.local, "driver LOCAL, no driver_opts"),
        rule("{driver_opts: {type: none, o: bind, device: /srv/db}}", StorageKind.local,
            "volume db: driver_opts type none, o bind (device /srv/db)"),
        rule("{driver_opts: {type: none, o: rbind, device: /srv/db}}", StorageKind.local, "o bind"),
        rule("{driver_opts: {type: tmpfs, device: tmpfs}}", StorageKind.local, "type tmpfs (device tmpfs), memory"),
        rule("{driver_opts: {type: ext4, device: /dev/sdb1}}", StorageKind.local,
            "type ext4 (device /dev/sdb1), a block device of one host"),
        rule("{driver_opts: {type: xfs, device: /dev/vdc}}", StorageKind.local, "block device"),
        // Network shares through the local driver.
        rule("{driver: local, driver_opts: {type: nfs4, o: 'addr=10.0.0.5,rw', device: ':/exports/db'}}",
            StorageKind.network, "volume db: driver_opts type nfs4 (addr=10.0.0.5), an NFS share"),
        rule("{driver_opts: {type: nfs, o: 'addr=10.0.0.5', device: ':/exports/db'}}", StorageKind.network,
            "type nfs (addr=10.0.0.5)"),
        rule("{driver_opts: {type: NFS, o: 'addr=nas', device: ':/db'}}", StorageKind.network, "type nfs"),
        rule("{driver_opts: {type: cifs, o: 'addr=files,username=u', device: //files/share}}", StorageKind.network,
            "type cifs (addr=files), an SMB/CIFS share"),
        rule("{driver_opts: {type: smb3, device: //files/share}}", StorageKind.network,
            "type smb3 (device //files/share)"),
        rule("{driver_opts: {o: 'addr=10.0.0.5,rw', device: ':/x'}}", StorageKind.network,
            "driver_opts no type (addr=10.0.0.5), a network share"),
        rule("{driver_opts: {type: ceph, device: 'mon:/'}}", StorageKind.network, "a CephFS share"),
        rule("{driver_opts: {type: glusterfs, device: 'g:/v'}}", StorageKind.network, "GlusterFS"),
        rule("{driver_opts: {type: fuse.sshfs, device: 'u@h:/x'}}", StorageKind.fuse, "type fuse.sshfs"),
        rule("{driver_opts: {type: weirdfs, device: /x}}", StorageKind.unknown,
            "driver_opts type weirdfs, which walguard does not know"),
        rule("{driver_opts: {device: /x}}", StorageKind.unknown, "driver_opts without type"),
        // Volume plugins, by alias or by image without tag or digest.
        rule("{driver: rclone}", StorageKind.fuse, "volume db: driver rclone (rclone mounts"),
        rule("{driver: 'rclone/docker-volume-rclone:amd64'}", StorageKind.fuse, "driver rclone/docker-volume-rclone"),
        rule("{driver: 'rclone/docker-volume-rclone@sha256:0123abcd'}", StorageKind.fuse, "FUSE"),
        rule("{driver: 'vieux/sshfs:latest'}", StorageKind.fuse, "sshfs"),
        rule("{driver: 'docker.io/vieux/sshfs:latest'}", StorageKind.fuse, "sshfs"),
        rule("{driver: s3fs}", StorageKind.fuse, "S3"),
        rule("{driver: 'mochoa/s3fs-volume-plugin:latest'}", StorageKind.fuse, "S3"),
        rule("{driver: gcsfuse}", StorageKind.fuse, "Cloud Storage"),
        rule("{driver: juicefs}", StorageKind.fuse, "JuiceFS"),
        rule("{driver: seaweedfs}", StorageKind.fuse, "SeaweedFS"),
        rule("{driver: 'rexray/efs:latest'}", StorageKind.network, "Amazon EFS"),
        rule("{driver: 'netapp/trident-plugin:21.07'}", StorageKind.network, "NetApp Trident"),
        rule("{driver: netapp}", StorageKind.network, "NetApp Trident"),
        rule("{driver: glusterfs}", StorageKind.network, "GlusterFS"),
        rule("{driver: 'trajano/glusterfs-volume-plugin'}", StorageKind.network, "GlusterFS"),
        rule("{driver: cephfs}", StorageKind.network, "CephFS"),
        rule("{driver: 'trajano/nfs-volume-plugin:latest'}", StorageKind.network, "NFS"),
        rule("{driver: 'trajano/cifs-volume-plugin'}", StorageKind.network, "SMB"),
        rule("{driver: rbd}", StorageKind.local, "Ceph RBD block device"),
        rule("{driver: 'rexray/rbd:0.11.4'}", StorageKind.local, "Ceph RBD"),
        rule("{driver: 'rexray/ebs'}", StorageKind.local, "EBS"),
        rule("{driver: local-persist, driver_opts: {mountpoint: /data/db}}", StorageKind.local, "local-persist"),
        rule("{driver: pxd}", StorageKind.local, "Portworx"),
        rule("{driver: pxd, driver_opts: {sharedv4: 'true'}}", StorageKind.network,
            "driver pxd (driver_opts sharedv4=true: sharedv4, exported over NFS"),
        rule("{driver: pxd, driver_opts: {shared: true}}", StorageKind.network, "driver_opts shared=true"),
        rule("{driver: 'docker4x/cloudstor:aws-v18.09.2-ce-aws1'}", StorageKind.network, "Cloudstor"),
        rule("{driver: 'cloudstor:aws', driver_opts: {backing: relocatable}}", StorageKind.local,
            "backing=relocatable"),
        rule("{driver: convoy}", StorageKind.unknown, "volume db: driver convoy (Convoy uses the backend the convoy"
            + " daemon defaults to unless driver_opts driver names one"),
        rule("{driver: convoy, driver_opts: {driver: devicemapper, size: 10G}}", StorageKind.local,
            "driver convoy (driver_opts driver=devicemapper: Convoy's device mapper backend"),
        rule("{driver: convoy, driver_opts: {driver: ebs}}", StorageKind.local, "driver_opts driver=ebs"),
        rule("{driver: convoy, driver_opts: {driver: vfs}}", StorageKind.network, "driver_opts driver=vfs"),
        rule("{driver: convoy, driver_opts: {driver: glusterfs}}", StorageKind.network, "GlusterFS"),
        rule("{driver: 'acme/mystery-plugin:1.0'}", StorageKind.unknown,
            "volume db: driver acme/mystery-plugin:1.0, a volume plugin walguard does not know"),
        // External volumes and overrides.
        rule("{external: true}", StorageKind.unknown, "volume db: external: true, created outside this file"),
        rule("{external: {name: shared-db}}", StorageKind.unknown, "external: true"),
        rule("{external: true, name: prod_db}", StorageKind.unknown, "external: true"),
        rule("{driver: rclone, labels: {walguard.io/storage: local}}", StorageKind.local, "label walguard.io/storage"),
        // Mount options that make locks node-local.
        locks("{driver_opts: {type: nfs, o: 'addr=nas,nolock', device: ':/db'}}", "volume db: driver_opts o nolock",
            "type nfs (addr=nas)"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,local_lock=all', device: ':/db'}}", "o local_lock=all",
            "type nfs"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,nfsvers=3,local_lock=posix', device: ':/db'}}",
            "o local_lock=posix", "type nfs"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,vers=3,nolock', device: ':/db'}}", "o nolock", "type nfs"),
        locks("{driver_opts: {type: cifs, o: 'addr=files,nobrl', device: //files/share}}", "o nobrl", "type cifs"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,local_lock=flock', device: ':/db'}}", null, "type nfs"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,nolock,lock', device: ':/db'}}", null, "type nfs"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,vers=4.1,nolock', device: ':/db'}}", null,
            "o nolock does not apply to NFS v4.1"),
        locks("{driver_opts: {type: nfs, o: 'addr=nas,nfsvers=4,local_lock=all', device: ':/db'}}", null,
            "o local_lock=all does not apply to NFS v4"),
        locks("{driver_opts: {type: nfs4, o: 'addr=nas,nolock', device: ':/db'}}", null,
            "o nolock does not apply to NFS v4"),
        locks("{driver_opts: {type: nfs4, o: 'addr=nas,nobrl', device: ':/db'}}", null, "type nfs4"),
        locks("{driver_opts: {type: cifs, o: 'addr=files,nolock', device: //f/s}}", null, "type cifs"));
  }

  @ParameterizedTest(name = "{0} is {1}")
  @MethodSource("rules")
  void classifiesEachVolumeByItsDefinition(String volume, StorageKind kind, String evidence, String lockEvidence)
      throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          app:
            image: example/app
            labels: {walguard.io/sqlite: db}
            volumes: [db:/data]
        volumes:
          db: %s
        """.formatted(volume));
    StorageClassification storage = new VolumeStorage(VolumeDrivers.builtIn())
        .classify(ComposeFixture.claim(file), false);
    assertThat(storage.kind()).isEqualTo(kind);
    assertThat(storage.evidence()).contains(evidence);
    assertThat(storage.nodeLocalLocks()).isEqualTo(lockEvidence != null);
    if (lockEvidence != null) {
      assertThat(storage.lockEvidence()).contains(lockEvidence);
    }
  }

  @ParameterizedTest(name = "swarm={0}")
  @org.junit.jupiter.params.provider.ValueSource(booleans = {false, true})
  void bindMountIsLocalAndInASwarmSaysHowToOverrideIt(boolean swarm) throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          app:
            image: example/app
            labels: [walguard.io/sqlite=./data]
            volumes: [./data:/data]
        """);
    StorageClassification storage = new VolumeStorage(VolumeDrivers.builtIn())
        .classify(ComposeFixture.claim(file), swarm);
    assertThat(storage.kind()).isEqualTo(StorageKind.local);
    assertThat(storage.evidence()).startsWith("bind mount ./data: a directory of the host");
    assertThat(storage.evidence().contains("set storage: network")).isEqualTo(swarm);
  }

  static Stream<Arguments> overrides() {
    return Stream.of(
        Arguments.of("{external: true}", "fuse", StorageKind.fuse),
        Arguments.of("{driver_opts: {type: nfs, o: 'addr=nas', device: ':/db'}}", "local", StorageKind.local),
        Arguments.of("{driver: rclone, labels: {walguard.io/storage: fuse}}", "network", StorageKind.network),
        Arguments.of("{external: true}", "auto", StorageKind.unknown));
  }

  @ParameterizedTest(name = "{0} with x-walguard storage {1}")
  @MethodSource("overrides")
  void xWalguardStorageOverridesEverythingElse(String volume, String storage, StorageKind kind) throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          app: {image: example/app, volumes: [db:/data]}
        volumes:
          db: %s
        x-walguard:
          databases:
            - {volume: db, file: app.db, storage: %s}
        """.formatted(volume, storage));
    StorageClassification classification = new VolumeStorage(VolumeDrivers.builtIn())
        .classify(ComposeFixture.claim(file), false);
    assertThat(classification.kind()).isEqualTo(kind);
    if (!storage.equals("auto")) {
      assertThat(classification.evidence()).isEqualTo("x-walguard.databases[0].storage: " + storage
          + " (set in the Compose file)");
    }
  }
}
