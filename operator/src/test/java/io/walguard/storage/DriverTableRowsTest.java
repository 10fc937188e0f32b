package io.walguard.storage;

import static io.walguard.storage.Volumes.TABLE;
import static io.walguard.storage.Volumes.claim;
import static io.walguard.storage.Volumes.classify;
import static io.walguard.storage.Volumes.csiVolume;
import static io.walguard.storage.Volumes.facts;
import static io.walguard.storage.Volumes.inTreeVolume;
import static io.walguard.storage.Volumes.instance;
import static io.walguard.storage.Volumes.params;
import static io.walguard.storage.Volumes.storageClass;
import static io.walguard.storage.Volumes.valueInstance;
import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.MethodSource;

/** Every row of the built-in table classifies as it says, and the drivers walguard must know have their kinds. */
class DriverTableRowsTest {

  static Stream<DriverEntry> drivers() {
    return TABLE.drivers().stream();
  }

  static Stream<DriverEntry> csiDrivers() {
    // CSI driver names never hold a slash; the slashed names are provisioners only.
    return TABLE.drivers().stream().filter(e -> !e.name().contains("/"));
  }

  static Stream<DriverEntry> filesystems() {
    return TABLE.filesystems().stream();
  }

  static Stream<DriverEntry> volumeSources() {
    return TABLE.volumeSources().stream();
  }

  static Stream<DriverEntry> mountOptions() {
    return TABLE.mountOptions().stream();
  }

  static Stream<Arguments> driverRefinements() {
    return Stream.concat(TABLE.drivers().stream(), TABLE.volumeSources().stream())
        .flatMap(e -> e.refine().stream().map(r -> Arguments.of(e, r)));
  }

  @Test
  void builtInTableIsDocumentedAndSizeable() {
    assertThat(TABLE.drivers()).hasSizeGreaterThan(100);
    assertThat(TABLE.filesystems()).hasSizeGreaterThan(40);
    assertThat(TABLE.volumeSources()).hasSizeGreaterThan(15);
    assertThat(TABLE.mountOptions()).hasSizeGreaterThan(10);
    Stream.of(TABLE.drivers(), TABLE.filesystems(), TABLE.volumeSources(), TABLE.mountOptions()).flatMap(List::stream).forEach(e -> {
      assertThat(e.description()).as("description of %s", e.name()).isNotBlank();
      e.refine().forEach(r -> assertThat(r.description()).as("refinement of %s", e.name()).isNotBlank());
    });
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("drivers")
  void everyDriverRowClassifiesItsStorageClass(DriverEntry entry) {
    String provisioner = instance(entry.name());
    assertThat(TABLE.driver(provisioner)).contains(entry);

    var result = classify(facts(claim("data", "sc", null), storageClass("sc", provisioner, Map.of())), "data");

    assertThat(result.kind()).isEqualTo(entry.kind());
    assertThat(result.evidence()).contains("StorageClass sc: provisioner " + provisioner);
    assertThat(result.driver()).isEqualTo(provisioner);
    assertThat(result.storageClassName()).isEqualTo("sc");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("csiDrivers")
  void everyCsiDriverRowClassifiesItsPersistentVolume(DriverEntry entry) {
    String driver = instance(entry.name());

    var result = classify(facts(claim("data", "", "pv-1"), csiVolume("pv-1", driver, Map.of())), "data");

    assertThat(result.kind()).isEqualTo(entry.kind());
    if (entry.kind() != StorageKind.unknown) {
      assertThat(result.evidence()).startsWith("PV pv-1: spec.csi.driver " + driver);
    }
    assertThat(result.driver()).isEqualTo(driver);
  }

  @ParameterizedTest(name = "{0} {1}")
  @MethodSource("driverRefinements")
  void everyRefinementChangesTheKindOnItsOwn(DriverEntry entry, Refinement refinement) {
    Map<String, String> parameters = new HashMap<>();
    String[] modes = {"ReadWriteOnce"};
    if (refinement.parameter() != null) {
      parameters.put(refinement.parameter(),
          refinement.values().isEmpty() ? "yes" : valueInstance(refinement.values().get(0)));
    } else if (refinement.accessMode() != null) {
      modes = new String[] {refinement.accessMode()};
    } else {
      parameters.put("csi.storage.k8s.io/fstype", refinement.fsTypes().get(0));
    }
    var facts = TABLE.volumeSources().contains(entry)
        ? facts(claim("data", "", "pv-1", modes), inTreeVolume("pv-1", entry.name(), Map.of(), modes))
        : facts(claim("data", "sc", null, modes), storageClass("sc", instance(entry.name()), parameters));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(refinement.kind());
    assertThat(result.evidence()).contains("(" + refinement.description() + ")");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("filesystems")
  void everyFilesystemRowClassifiesAProbe(DriverEntry entry) {
    String fstype = instance(entry.name());
    assertThat(TABLE.filesystem(fstype)).contains(entry);

    var result = classify(facts(claim("data", "", null)).probe(fstype, "src:/x", "rw"), "data");

    assertThat(result.kind()).isEqualTo(entry.kind());
    assertThat(result.evidence()).isEqualTo("probe: fstype " + fstype + " (src:/x)");
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("volumeSources")
  void everyVolumeSourceRowClassifiesAPersistentVolume(DriverEntry entry) {
    var result = classify(facts(claim("data", "", "pv-1"), inTreeVolume("pv-1", entry.name(), Map.of())), "data");

    assertThat(result.kind()).isEqualTo(entry.kind());
    assertThat(result.evidence()).isEqualTo("PV pv-1: spec." + entry.name());
    assertThat(result.driver()).isEqualTo("spec." + entry.name());
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("mountOptions")
  void everyMountOptionRowClassifiesAClassWithAnUnknownProvisioner(DriverEntry entry) {
    String option = instance(entry.name()) + "=1";
    var facts = facts(claim("data", "sc", null),
        storageClass("sc", "example.com/unknown").withMountOptions("rw", option).build());

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(entry.kind());
    assertThat(result.evidence()).isEqualTo("StorageClass sc: mountOptions " + option + " (" + entry.description()
        + "); StorageClass sc: provisioner example.com/unknown is not in the driver table");
  }

  /** The drivers walguard must know, written out here so that a wrong table entry fails. */
  @ParameterizedTest(name = "{0} {1} {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      ebs.csi.aws.com                              | ReadWriteOnce | -                              | local
      pd.csi.storage.gke.io                        | ReadWriteOnce | -                              | local
      disk.csi.azure.com                           | ReadWriteOnce | -                              | local
      rbd.csi.ceph.com                             | ReadWriteOnce | -                              | local
      rook-ceph.rbd.csi.ceph.com                   | ReadWriteOnce | -                              | local
      openshift-storage.rbd.csi.ceph.com           | ReadWriteOnce | -                              | local
      rancher.io/local-path                        | ReadWriteOnce | -                              | local
      kubernetes.io/no-provisioner                 | ReadWriteOnce | -                              | local  
      kubernetes.io/no-provisioner                 | ReadWriteMany | -                              | unknown
      openebs.io/local                             | ReadWriteOnce | -                              | local
      local.csi.openebs.io                         | ReadWriteOnce | -                              | local
      topolvm.io                                   | ReadWriteOnce | -                              | local
      driver.longhorn.io                           | ReadWriteOnce | -                              | local
      driver.longhorn.io                           | ReadWriteOnce | nfsOptions=vers=4.1            | local
      dobs.csi.digitalocean.com                    | ReadWriteOnce | -                              | local
      csi.hetzner.cloud                            | ReadWriteOnce | -                              | local
      linodebs.csi.linode.com                      | ReadWriteOnce | -                              | local
      csi.vsphere.vmware.com                       | ReadWriteOnce | -                              | local
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=ontap-san          | local
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=ontap-san-economy  | local
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=solidfire-san      | local
      hostpath.csi.k8s.io                          | ReadWriteOnce | -                              | local
      kubernetes.io/aws-ebs                        | ReadWriteOnce | -                              | local
      kubernetes.io/gce-pd                         | ReadWriteOnce | -                              | local
      kubernetes.io/azure-disk                     | ReadWriteOnce | -                              | local
      kubernetes.io/cinder                         | ReadWriteOnce | -                              | local
      kubernetes.io/rbd                            | ReadWriteOnce | -                              | local
      pxd.portworx.com                             | ReadWriteOnce | -                              | local
      efs.csi.aws.com                              | ReadWriteOnce | -                              | network
      efs.csi.aws.com                              | ReadWriteMany | -                              | network
      fsx.csi.aws.com                              | ReadWriteOnce | -                              | network
      file.csi.azure.com                           | ReadWriteMany | -                              | network
      file.csi.azure.com                           | ReadWriteMany | protocol=nfs                   | network
      kubernetes.io/azure-file                     | ReadWriteMany | -                              | network
      filestore.csi.storage.gke.io                 | ReadWriteMany | -                              | network
      nfs.csi.k8s.io                               | ReadWriteMany | -                              | network
      smb.csi.k8s.io                               | ReadWriteMany | -                              | network
      k8s-sigs.io/nfs-subdir-external-provisioner  | ReadWriteMany | -                              | network
      cluster.local/nfs-subdir-external-provisioner | ReadWriteOnce | -                             | network
      cephfs.csi.ceph.com                          | ReadWriteMany | -                              | network
      rook-ceph.cephfs.csi.ceph.com                | ReadWriteMany | -                              | network
      openshift-storage.cephfs.csi.ceph.com        | ReadWriteOnce | -                              | network
      kubernetes.io/cephfs                         | ReadWriteMany | -                              | network
      driver.longhorn.io                           | ReadWriteMany | -                              | network
      pxd.portworx.com                             | ReadWriteOnce | sharedv4=true                  | network
      pxd.portworx.com                             | ReadWriteOnce | sharedv4=false                 | local
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=ontap-nas          | network
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=ontap-nas-economy  | network
      csi.trident.netapp.io                        | ReadWriteOnce | backendType=azure-netapp-files | network
      csi.trident.netapp.io                        | ReadWriteMany | -                              | network
      csi.trident.netapp.io                        | ReadWriteOnce | -                              | unknown
      kubernetes.io/glusterfs                      | ReadWriteMany | -                              | network
      org.gluster.glusterfs                        | ReadWriteMany | -                              | network
      manila.csi.openstack.org                     | ReadWriteMany | -                              | network
      nfs.manila.csi.openstack.org                 | ReadWriteMany | -                              | network
      spectrumscale.csi.ibm.com                    | ReadWriteMany | -                              | network
      csi-isilon.dellemc.com                       | ReadWriteMany | -                              | network
      csi.vsphere.vmware.com                       | ReadWriteMany | -                              | network
      csi.vsphere.vmware.com                       | ReadWriteOnce | csi.storage.k8s.io/fstype=nfs4 | network
      gcsfuse.csi.storage.gke.io                   | ReadWriteMany | -                              | fuse
      s3.csi.aws.com                               | ReadWriteMany | -                              | fuse
      csi.juicefs.com                              | ReadWriteMany | -                              | fuse
      seaweedfs-csi-driver                         | ReadWriteMany | -                              | fuse
      blob.csi.azure.com                           | ReadWriteMany | -                              | fuse
      blob.csi.azure.com                           | ReadWriteMany | protocol=fuse2                 | fuse
      blob.csi.azure.com                           | ReadWriteMany | protocol=nfs                   | network
      ch.ctrox.csi.s3-driver                       | ReadWriteMany | -                              | fuse
      """)
  void driversWalguardMustKnowHaveTheirKinds(String provisioner, String accessMode, String parameters,
      StorageKind expected) {
    var facts = facts(claim("data", "sc", null, accessMode), storageClass("sc", provisioner, params(parameters)));

    assertThat(classify(facts, "data").kind()).isEqualTo(expected);
  }

  @ParameterizedTest(name = "spec.{0} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      nfs                  | server=10.0.0.5;path=/exports | network | PV pv-1: spec.nfs (server 10.0.0.5, path /exports)
      cephfs               | path=/volumes/a               | network | PV pv-1: spec.cephfs (path /volumes/a)
      glusterfs            | endpoints=gluster;path=vol    | network | PV pv-1: spec.glusterfs (endpoints gluster, path vol)
      azureFile            | shareName=share               | network | PV pv-1: spec.azureFile (shareName share)
      hostPath             | path=/srv/data                | local   | PV pv-1: spec.hostPath (path /srv/data)
      local                | path=/mnt/disks/ssd1          | local   | PV pv-1: spec.local (path /mnt/disks/ssd1)
      awsElasticBlockStore | volumeID=vol-1                | local   | PV pv-1: spec.awsElasticBlockStore (volumeID vol-1)
      gcePersistentDisk    | pdName=disk-1                 | local   | PV pv-1: spec.gcePersistentDisk (pdName disk-1)
      azureDisk            | diskName=disk-1;diskURI=uri   | local   | PV pv-1: spec.azureDisk (diskName disk-1)
      rbd                  | pool=rbd;image=img            | local   | PV pv-1: spec.rbd (pool rbd, image img)
      iscsi                | targetPortal=10.0.0.9;iqn=iqn.x | local | PV pv-1: spec.iscsi (targetPortal 10.0.0.9, iqn iqn.x)
      """)
  void inTreeVolumeSourcesNameTheirFields(String field, String source, StorageKind expected, String evidence) {
    Map<String, Object> fields = new HashMap<>(params(source));
    var facts = facts(claim("data", "", "pv-1"), inTreeVolume("pv-1", field, fields));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.evidence()).isEqualTo(evidence);
  }

  @Test
  void fibreChannelShowsItsTargetList() {
    var facts = facts(claim("data", "", "pv-1"),
        inTreeVolume("pv-1", "fc", Map.of("targetWWNs", List.of("500a0981891b8dc5", "500a0981991b8dc5"))));

    assertThat(classify(facts, "data").evidence())
        .isEqualTo("PV pv-1: spec.fc (targetWWNs 500a0981891b8dc5,500a0981991b8dc5)");
  }

  @Test
  void anExactNameBeatsAPatternAndTheLongerPatternWins() {
    DriverTable table = TABLE.withOverlay("""
        drivers:
          - {name: "*.csi.ceph.com", kind: unknown, description: any ceph driver}
          - {name: special.rbd.csi.ceph.com, kind: network, description: a special one}
        """, "test");

    assertThat(table.driver("rook-ceph.rbd.csi.ceph.com").map(DriverEntry::name)).contains("*.rbd.csi.ceph.com");
    assertThat(table.driver("special.rbd.csi.ceph.com").map(DriverEntry::name))
        .contains("special.rbd.csi.ceph.com");
    assertThat(table.driver("x.other.csi.ceph.com").map(DriverEntry::name)).contains("*.csi.ceph.com");
    assertThat(table.driver("EBS.CSI.AWS.COM").map(DriverEntry::name)).contains("ebs.csi.aws.com");
    assertThat(table.driver("example.com/unknown")).isEmpty();
  }

  @Test
  void aPatternMatchSaysWhichEntryMatched() {
    var facts = facts(claim("data", "ceph", null), storageClass("ceph", "my-rook.rbd.csi.ceph.com", Map.of()));

    assertThat(classify(facts, "data").evidence())
        .isEqualTo("StorageClass ceph: provisioner my-rook.rbd.csi.ceph.com (table entry *.rbd.csi.ceph.com)");
  }
}
