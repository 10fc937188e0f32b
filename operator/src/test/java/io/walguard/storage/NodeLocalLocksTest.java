package io.walguard.storage;

import static io.walguard.storage.Volumes.claim;
import static io.walguard.storage.Volumes.classify;
import static io.walguard.storage.Volumes.csiVolume;
import static io.walguard.storage.Volumes.facts;
import static io.walguard.storage.Volumes.inTreeVolume;
import static io.walguard.storage.Volumes.storageClass;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Mount options that make locks node-local, wherever they are written, and only where they apply. */
class NodeLocalLocksTest {

  private static PersistentVolume nfsVolume(String... mountOptions) {
    return new PersistentVolumeBuilder(inTreeVolume("pv-1", "nfs", Map.of("server", "10.0.0.5", "path", "/x")))
        .editSpec().withMountOptions(List.of(mountOptions)).endSpec().build();
  }

  private static StorageClassification nfsWith(String... mountOptions) {
    return classify(facts(claim("data", "", "pv-1"), nfsVolume(mountOptions)), "data");
  }

  /** PV spec.mountOptions, one option per item as Kubernetes lists them (an item may hold several, comma-separated). */
  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      nolock                          | true
      nolock nfsvers=3                | true
      nolock vers=3                   | true
      nolock nfsvers=2                | true
      nolock,nfsvers=3,hard           | true
      local_lock=all nfsvers=3        | true
      local_lock=posix vers=3.0       | true
      local_lock=all                  | true
      NOLOCK NFSVERS=3                | true
      nolock v3                       | true
      nolock nfsvers=4                | false
      nolock nfsvers=4.1              | false
      nolock vers=4.2                 | false
      local_lock=all nfsvers=4.1      | false
      local_lock=posix vers=4         | false
      nolock v4.1                     | false
      local_lock=flock nfsvers=3      | false
      local_lock=none nfsvers=3       | false
      local_lock=all,local_lock=none  | false
      nolock,lock nfsvers=3           | false
      hard nfsvers=3 timeo=600        | false
      rw                              | false
      """)
  void nfsLockOptionsCountOnlyForVersionsTwoAndThree(String options, boolean nodeLocal) {
    var result = nfsWith(options.split(" "));

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.nodeLocalLocks()).isEqualTo(nodeLocal);
    if (nodeLocal) {
      assertThat(result.lockEvidence()).contains("(PV pv-1: spec.mountOptions)");
    } else {
      assertThat(result.lockEvidence()).isNull();
    }
  }

  @Test
  void lockEvidenceNamesTheOptionTheVersionAndThePlace() {
    assertThat(nfsWith("nfsvers=3", "nolock").lockEvidence())
        .isEqualTo("mount option nolock (PV pv-1: spec.mountOptions) with NFS v3: NFS locks stay on the node");
  }

  @Test
  void withoutAVersionTheOptionIsAssumedToApplyAndTheEvidenceSaysWhy() {
    assertThat(nfsWith("local_lock=all").lockEvidence()).isEqualTo("mount option local_lock=all"
        + " (PV pv-1: spec.mountOptions): no NFS version is given and the client may settle on v3, where NFS locks"
        + " then stay on the node, so walguard assumes they do");
  }

  @Test
  void storageClassMountOptionsCount() {
    var facts = facts(claim("data", "nfs", null),
        storageClass("nfs", "nfs.csi.k8s.io").withMountOptions("nfsvers=3", "nolock").build());

    var result = classify(facts, "data");

    assertThat(result.nodeLocalLocks()).isTrue();
    assertThat(result.lockEvidence()).contains("mount option nolock (StorageClass nfs: mountOptions)");
  }

  @Test
  void aVersionInTheClassAppliesToALockOptionInTheVolume() {
    var facts = facts(claim("data", "nfs", "pv-1"), nfsVolume("nolock"),
        storageClass("nfs", "nfs.csi.k8s.io").withMountOptions("nfsvers=4.1").build());

    assertThat(classify(facts, "data").nodeLocalLocks()).isFalse();
  }

  @Test
  void theNfsCsiDriversMountOptionsParameterCounts() {
    var facts = facts(claim("data", "nfs", null, "ReadWriteMany"),
        storageClass("nfs", "nfs.csi.k8s.io", Map.of("server", "nfs.local", "mountOptions", "nfsvers=3,nolock")));

    var result = classify(facts, "data");

    assertThat(result.nodeLocalLocks()).isTrue();
    assertThat(result.lockEvidence()).isEqualTo("mount option nolock (StorageClass nfs: parameters.mountOptions)"
        + " with NFS v3: NFS locks stay on the node");
  }

  @Test
  void theNfsCsiDriversMountOptionsAttributeCounts() {
    var facts = facts(claim("data", "", "pv-1", "ReadWriteMany"),
        csiVolume("pv-1", "nfs.csi.k8s.io", Map.of("server", "nfs.local", "mountOptions", "local_lock=posix,vers=3"),
            "ReadWriteMany"));

    assertThat(classify(facts, "data").lockEvidence())
        .startsWith("mount option local_lock=posix (PV pv-1: spec.csi.volumeAttributes.mountOptions)");
  }

  @Test
  void longhornNfsOptionsAreReadForLocks() {
    var facts = facts(claim("data", "longhorn-rwx", null, "ReadWriteMany"),
        storageClass("longhorn-rwx", "driver.longhorn.io", Map.of("nfsOptions", "vers=4.1,noresvport,softerr")));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.nodeLocalLocks()).isFalse();
  }

  /**
   * A driver that always mounts one NFS version (the table's nfsVersion) settles what the options leave open: EFS and
   * Azure Files NFS are always v4.1, where nolock and local_lock do not apply; other NFS drivers may mount v3.
   */
  @ParameterizedTest(name = "{0}, {1} on the {2} -> {3}")
  @CsvSource(delimiter = '|', textBlock = """
      efs.csi.aws.com        | tls nolock          | PV           | false
      efs.csi.aws.com        | nolock              | StorageClass | false
      efs.csi.aws.com        | nolock nfsvers=3    | PV           | true
      file.csi.azure.com     | local_lock=all      | PV           | false
      nfs.csi.k8s.io         | nolock              | PV           | true
      nfs.csi.k8s.io         | nolock              | StorageClass | true
      """)
  void aDriversFixedNfsVersionDecidesWhetherNfsLockOptionsApply(String driver, String options, String where,
      boolean nodeLocal) {
    List<String> mountOptions = List.of(options.split(" "));
    var facts = where.equals("PV")
        ? facts(claim("data", "", "pv-1", "ReadWriteMany"), new PersistentVolumeBuilder(
            csiVolume("pv-1", driver, Map.of("protocol", "nfs"), "ReadWriteMany"))
            .editSpec().withMountOptions(mountOptions).endSpec().build())
        : facts(claim("data", "sc", null, "ReadWriteMany"),
            storageClass("sc", driver).withParameters(Map.of("protocol", "nfs")).withMountOptions(mountOptions).build());

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.nodeLocalLocks()).isEqualTo(nodeLocal);
  }

  @Test
  void aParameterOnlyCountsForTheDriversThatUseIt() {
    var facts = facts(claim("data", "efs", null),
        storageClass("efs", "efs.csi.aws.com", Map.of("mountOptions", "nolock")));

    assertThat(classify(facts, "data").nodeLocalLocks()).isFalse();
  }

  @Test
  void smbNobrlMakesLocksNodeLocalWhateverTheVersion() {
    var facts = facts(claim("data", "azurefile", null, "ReadWriteMany"),
        storageClass("azurefile", "file.csi.azure.com")
            .withMountOptions("dir_mode=0777", "file_mode=0777", "vers=3.1.1", "mfsymlinks", "nobrl").build());

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.nodeLocalLocks()).isTrue();
    assertThat(result.lockEvidence()).isEqualTo("mount option nobrl (StorageClass azurefile: mountOptions):"
        + " SMB byte-range locks stay on the node");
  }

  @Test
  void lustreLocalflockMakesLocksNodeLocal() {
    var facts = facts(claim("data", "fsx", null, "ReadWriteMany"),
        storageClass("fsx", "fsx.csi.aws.com").withMountOptions("localflock").build());

    assertThat(classify(facts, "data").lockEvidence()).startsWith("mount option localflock");
  }

  @Test
  void severalFindingsAreAllNamed() {
    var facts = facts(claim("data", "nfs", "pv-1"), nfsVolume("nolock", "nfsvers=3"),
        storageClass("nfs", "nfs.csi.k8s.io").withMountOptions("nobrl").build());

    assertThat(classify(facts, "data").lockEvidence()).isEqualTo("mount option nolock (PV pv-1: spec.mountOptions)"
        + " with NFS v3: NFS locks stay on the node; mount option nobrl (StorageClass nfs: mountOptions): SMB"
        + " byte-range locks stay on the node");
  }

  /** A probe's options are what the kernel applied: they replace what the PV and the class asked for. */
  @ParameterizedTest(name = "{0} {1} -> {2}")
  @CsvSource(delimiter = '|', textBlock = """
      nfs4 | rw,relatime,vers=4.1,rsize=1048576,local_lock=none,addr=10.0.0.5 | false
      nfs4 | rw,vers=4.2,local_lock=all                                      | false
      nfs  | rw,relatime,vers=3,nolock,local_lock=all,addr=10.0.0.5          | true
      nfs  | rw,local_lock=posix                                             | true
      cifs | rw,vers=3.1.1,cache=strict,nobrl,actimeo=30                     | true
      cifs | rw,vers=3.1.1,cache=strict,actimeo=30                           | false
      """)
  void probeOptionsDecideTheLocks(String fstype, String options, boolean nodeLocal) {
    var facts = facts(claim("data", "", "pv-1"), nfsVolume("nolock", "nfsvers=3")).probe(fstype, "srv:/x", options);

    var result = classify(facts, "data");

    assertThat(result.nodeLocalLocks()).isEqualTo(nodeLocal);
    if (nodeLocal) {
      assertThat(result.lockEvidence()).contains("(probe)");
    }
  }

  @Test
  void aProbeWithoutOptionsLeavesTheLocksToThePvButKnowsTheVersion() {
    var facts = facts(claim("data", "", "pv-1"), nfsVolume("nolock")).probe("nfs4", "srv:/x", null);

    assertThat(classify(facts, "data").nodeLocalLocks()).isFalse();
  }

  @Test
  void aBlockVolumeHasNoLockEvidence() {
    var facts = facts(claim("data", "gp3", null), storageClass("gp3", "ebs.csi.aws.com", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.nodeLocalLocks()).isFalse();
    assertThat(result.lockEvidenceText()).isEmpty();
  }

  @Test
  void optionListsSplitOnCommasAndIgnoreBlanks() {
    var source = NodeLocalLocks.Source.of("here", Arrays.asList(" nolock , ,nfsvers=3", null, ""));

    assertThat(source.options()).containsExactly("nolock", "nfsvers=3");
  }
}
