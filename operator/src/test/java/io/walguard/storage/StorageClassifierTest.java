package io.walguard.storage;

import static io.walguard.storage.Volumes.CLASSIFIER;
import static io.walguard.storage.Volumes.NS;
import static io.walguard.storage.Volumes.claim;
import static io.walguard.storage.Volumes.classify;
import static io.walguard.storage.Volumes.csiVolume;
import static io.walguard.storage.Volumes.database;
import static io.walguard.storage.Volumes.defaultClass;
import static io.walguard.storage.Volumes.facts;
import static io.walguard.storage.Volumes.inTreeVolume;
import static io.walguard.storage.Volumes.storageClass;
import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.walguard.api.SqliteDatabaseSpec.StorageOverride;
import io.walguard.core.InMemoryFacts;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** The classifier's order (DESIGN.md section 5) and its evidence. */
class StorageClassifierTest {

  private static final String GA = ClaimVolume.DEFAULT_CLASS;
  private static final String BETA = ClaimVolume.BETA_DEFAULT_CLASS;

  private static StorageClass annotatedClass(String name, String provisioner, String storage) {
    return new StorageClassBuilder().withNewMetadata().withName(name)
        .withAnnotations(Map.of("walguard.io/storage", storage)).endMetadata()
        .withProvisioner(provisioner).build();
  }

  private static PersistentVolume annotatedVolume(String name, String driver, String storage) {
    return new PersistentVolumeBuilder(csiVolume(name, driver, Map.of()))
        .editMetadata().withAnnotations(Map.of("walguard.io/storage", storage)).endMetadata().build();
  }

  @Test
  void efsStorageClassIsNetworkWithTheDesignsEvidence() {
    var result = classify(facts(claim("data", "efs-sc", null, "ReadWriteMany"),
        storageClass("efs-sc", "efs.csi.aws.com", Map.of())), "data");

    assertThat(result).isEqualTo(new StorageClassification(StorageKind.network,
        "StorageClass efs-sc: provisioner efs.csi.aws.com", false, null, "efs-sc", "efs.csi.aws.com"));
  }

  /** Override order: spec.storage, then the PV's annotation, then the StorageClass's, then everything else. */
  @ParameterizedTest(name = "spec {0}, PV {1}, class {2} -> {3}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      fuse    | local   | network | fuse    | spec.storage override
      auto    | local   | network | local   | PV pv-1: annotation walguard.io/storage
      auto    | -       | network | network | StorageClass sc: annotation walguard.io/storage
      auto    | -       | fuse    | fuse    | StorageClass sc: annotation walguard.io/storage
      network | -       | local   | network | spec.storage override
      auto    | -       | -       | local   | PV pv-1: spec.csi.driver ebs.csi.aws.com
      """)
  void overridesWinInTheirOrder(StorageOverride spec, String onVolume, String onClass, StorageKind expected,
      String evidence) {
    var facts = facts(claim("data", "sc", "pv-1"),
        onVolume == null ? csiVolume("pv-1", "ebs.csi.aws.com", Map.of())
            : annotatedVolume("pv-1", "ebs.csi.aws.com", onVolume),
        onClass == null ? storageClass("sc", "ebs.csi.aws.com", Map.of())
            : annotatedClass("sc", "ebs.csi.aws.com", onClass));

    var result = CLASSIFIER.classify(facts, database("data", spec));

    assertThat(result.kind()).isEqualTo(expected);
    assertThat(result.evidence()).isEqualTo(evidence);
    assertThat(result.driver()).isEqualTo("ebs.csi.aws.com");
    assertThat(result.storageClassName()).isEqualTo("sc");
  }

  @Test
  void aBadAnnotationIsIgnoredAndSaidSo() {
    var facts = facts(claim("data", "sc", null), annotatedClass("sc", "efs.csi.aws.com", "nfs"));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("StorageClass sc: provisioner efs.csi.aws.com; StorageClass sc:"
        + " annotation walguard.io/storage \"nfs\" is not local, network or fuse, so it is ignored");
  }

  @Test
  void theOverrideHoldsEvenWithoutAClaim() {
    var result = CLASSIFIER.classify(facts(), database("data", StorageOverride.local));

    assertThat(result.kind()).isEqualTo(StorageKind.local);
    assertThat(result.evidence()).isEqualTo("spec.storage override");
  }

  @Test
  void aProbeOutranksThePersistentVolumeAndTheClass() {
    var facts = facts(claim("data", "sc", "pv-1"), csiVolume("pv-1", "ebs.csi.aws.com", Map.of()),
        storageClass("sc", "ebs.csi.aws.com", Map.of()))
        .probe("nfs4", "server:/export", "rw,vers=4.1,local_lock=none");

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("probe: fstype nfs4 (server:/export)");
    assertThat(result.driver()).isEqualTo("ebs.csi.aws.com");
  }

  @Test
  void anOverrideOutranksAProbe() {
    var facts = facts(claim("data", "sc", null), annotatedClass("sc", "efs.csi.aws.com", "local"))
        .probe("nfs4", "server:/export", null);

    assertThat(classify(facts, "data").evidence()).isEqualTo("StorageClass sc: annotation walguard.io/storage");
  }

  @Test
  void aProbeOfAnUnlistedFilesystemFallsThroughAndSaysSo() {
    var facts = facts(claim("data", "sc", null), storageClass("sc", "efs.csi.aws.com", Map.of()))
        .probe("strangefs", null, null);

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("StorageClass sc: provisioner efs.csi.aws.com;"
        + " probe: fstype strangefs is not in the filesystem table");
  }

  @Test
  void aBoundVolumeOutranksItsStorageClass() {
    var facts = facts(claim("data", "sc", "pv-1"),
        inTreeVolume("pv-1", "nfs", Map.of("server", "10.0.0.5", "path", "/exports")),
        storageClass("sc", "ebs.csi.aws.com", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("PV pv-1: spec.nfs (server 10.0.0.5, path /exports)");
    assertThat(result.driver()).isEqualTo("spec.nfs");
  }

  @Test
  void anNfsVolumeFromAnUnknownProvisionerIsNetwork() {
    var facts = facts(claim("data", "nfs-client", "pvc-123"),
        inTreeVolume("pvc-123", "nfs", Map.of("server", "10.0.0.5")),
        storageClass("nfs-client", "example.com/my-nfs-provisioner", Map.of()));

    assertThat(classify(facts, "data").evidence()).isEqualTo("PV pvc-123: spec.nfs (server 10.0.0.5)");
  }

  @Test
  void aVolumeNameWhosePvIsNotKnownFallsBackToTheStorageClass() {
    var facts = facts(claim("data", "gp3", "pv-missing"), storageClass("gp3", "ebs.csi.aws.com", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.local);
    assertThat(result.evidence()).isEqualTo("StorageClass gp3: provisioner ebs.csi.aws.com;"
        + " PV pv-missing (claim data: spec.volumeName) is not known, so the StorageClass decides");
    assertThat(result.driver()).isEqualTo("ebs.csi.aws.com");
  }

  @Test
  void volumeAttributesRefineTheVolumesDriver() {
    var facts = facts(claim("data", "", "pv-1", "ReadWriteMany"),
        csiVolume("pv-1", "blob.csi.azure.com", Map.of("protocol", "nfs"), "ReadWriteMany"));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("PV pv-1: spec.csi.driver blob.csi.azure.com with"
        + " spec.csi.volumeAttributes.protocol nfs (Azure Blob storage over NFS v3)");
  }

  @Test
  void theClassParametersRefineTheVolumesDriverWhenItsAttributesDoNot() {
    var facts = facts(claim("data", "trident-nas", "pv-1"),
        csiVolume("pv-1", "csi.trident.netapp.io", Map.of("backendUUID", "b-1")),
        storageClass("trident-nas", "csi.trident.netapp.io", Map.of("backendType", "ontap-nas")));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("PV pv-1: spec.csi.driver csi.trident.netapp.io with"
        + " StorageClass trident-nas parameters.backendType ontap-nas (Trident NAS backend, NFS or SMB)");
  }

  @Test
  void aVsphereFileVolumeIsNetworkByItsAttributes() {
    var facts = facts(claim("data", "", "pv-1"),
        csiVolume("pv-1", "csi.vsphere.vmware.com", Map.of("type", "vSphere CNS File Volume")));

    assertThat(classify(facts, "data").kind()).isEqualTo(StorageKind.network);
  }

  @Test
  void aVsphereBlockVolumeIsLocal() {
    var facts = facts(claim("data", "", "pv-1"),
        csiVolume("pv-1", "csi.vsphere.vmware.com", Map.of("type", "vSphere CNS Block Volume")));

    assertThat(classify(facts, "data").kind()).isEqualTo(StorageKind.local);
  }

  @Test
  void aVolumesCsiFsTypeRefinesItsDriver() {
    PersistentVolume pv = new PersistentVolumeBuilder(csiVolume("pv-1", "csi-powerstore.dellemc.com", Map.of()))
        .editSpec().editCsi().withFsType("nfs").endCsi().endSpec().build();

    var result = classify(facts(claim("data", "", "pv-1"), pv), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).contains("with spec.csi.fsType nfs (PowerStore NFS file system)");
  }

  @Test
  void aKnownDriverThatCannotTellLeavesItUnknownWithItsDescription() {
    var facts = facts(claim("data", "trident", null), storageClass("trident", "csi.trident.netapp.io", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.evidence()).startsWith("StorageClass trident: provisioner csi.trident.netapp.io: NetApp"
        + " Trident; the backend decides").doesNotContain("spec.storage");
  }

  @Test
  void readWriteManyOnAnUnknownProvisionerIsAssumedNetwork() {
    var facts = facts(claim("data", "x", null, "ReadWriteMany"),
        storageClass("x", "example.com/unknown", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence())
        .isEqualTo("StorageClass x: provisioner example.com/unknown with ReadWriteMany (assumed network)");
  }

  @Test
  void readWriteManyOnAnUnknownVolumeDriverIsAssumedNetwork() {
    var facts = facts(claim("data", "", "pv-1", "ReadWriteMany"),
        csiVolume("pv-1", "csi.example.com", Map.of(), "ReadWriteMany"));

    assertThat(classify(facts, "data").evidence())
        .isEqualTo("PV pv-1: spec.csi.driver csi.example.com with ReadWriteMany (assumed network)");
  }

  @Test
  void anNfsMountOptionOnAStaticVolumeOfAnUnknownDriverMakesItNetwork() {
    PersistentVolume pv = new PersistentVolumeBuilder(csiVolume("pv-1", "csi.example.com", Map.of()))
        .editSpec().withMountOptions("hard", "nfsvers=4.1").endSpec().build();

    var result = classify(facts(claim("data", "", "pv-1"), pv), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("PV pv-1: spec.mountOptions nfsvers=4.1 (an NFS mount option);"
        + " PV pv-1: spec.csi.driver csi.example.com is not in the driver table");
  }

  @Test
  void aKnownDriverOutranksMountOptions() {
    var facts = facts(claim("data", "sc", null),
        storageClass("sc", "ebs.csi.aws.com").withMountOptions("nfsvers=3").build());

    assertThat(classify(facts, "data").kind()).isEqualTo(StorageKind.local);
  }

  @Test
  void mountOptionsOutrankTheReadWriteManyHint() {
    var facts = facts(claim("data", "sc", null, "ReadWriteMany"),
        storageClass("sc", "example.com/unknown").withMountOptions("nobrl").build());

    assertThat(classify(facts, "data").evidence()).startsWith("StorageClass sc: mountOptions nobrl (an SMB");
  }

  @Test
  void readWriteOnceOnAnUnknownProvisionerIsUnknownWithWhatWasSeen() {
    var facts = facts(claim("data", "x", null), storageClass("x", "example.com/unknown", Map.of()));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    // Only what was seen: how to resolve it is the verdict's reason, said once.
    assertThat(result.evidence()).isEqualTo("StorageClass x: provisioner example.com/unknown is not in the driver"
        + " table");
  }

  @Test
  void aMissingClaimIsUnknownAndSaysSo() {
    var result = classify(facts(), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.evidence()).isEqualTo("claim data not found in namespace " + NS);
    assertThat(result.storageClassName()).isNull();
    assertThat(result.driver()).isNull();
  }

  @Test
  void aDatabaseWithoutAClaimNameIsUnknown() {
    var result = CLASSIFIER.classify(facts(), database(null));

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.evidence()).isEqualTo("the SqliteDatabase names no claim (spec.claimName)");
  }

  @Test
  void aClassThatIsNotKnownIsSaid() {
    var result = classify(facts(claim("data", "fast", null)), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.evidence()).isEqualTo("StorageClass fast is not known");
    assertThat(result.storageClassName()).isEqualTo("fast");
  }

  // --- The default StorageClass ---

  @ParameterizedTest(name = "{0}")
  @CsvSource({
      "storageclass.kubernetes.io/is-default-class",
      "storageclass.beta.kubernetes.io/is-default-class"})
  void aClaimWithoutClassUsesTheDefaultByEitherAnnotation(String annotation) {
    var facts = facts(claim("data", null, null),
        storageClass("efs", "efs.csi.aws.com", Map.of()),
        defaultClass("gp3", "ebs.csi.aws.com", annotation, null));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.local);
    assertThat(result.storageClassName()).isEqualTo("gp3");
    assertThat(result.evidence()).isEqualTo("StorageClass gp3: provisioner ebs.csi.aws.com;"
        + " claim data names no storageClassName, so the default class gp3 applies");
  }

  @Test
  void ofSeveralDefaultsTheNewestWins() {
    var facts = facts(claim("data", null, null),
        defaultClass("old-gp2", "ebs.csi.aws.com", GA, "2021-01-01T00:00:00Z"),
        defaultClass("new-efs", "efs.csi.aws.com", BETA, "2024-06-01T00:00:00Z"),
        defaultClass("mid-gp3", "ebs.csi.aws.com", GA, "2023-01-01T00:00:00Z"));

    var result = classify(facts, "data");

    assertThat(result.storageClassName()).isEqualTo("new-efs");
    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).endsWith("claim data names no storageClassName; of the default classes new-efs,"
        + " mid-gp3, old-gp2, new-efs applies, the newest, as Kubernetes picks");
  }

  @Test
  void ofDefaultsCreatedTogetherTheFirstByNameWins() {
    var facts = facts(claim("data", null, null),
        defaultClass("zeta", "efs.csi.aws.com", GA, "2024-06-01T00:00:00Z"),
        defaultClass("alpha", "ebs.csi.aws.com", GA, "2024-06-01T00:00:00Z"));

    assertThat(classify(facts, "data").storageClassName()).isEqualTo("alpha");
  }

  @Test
  void defaultsFromManifestsWithoutTimestampsAreChosenByName() {
    var facts = facts(claim("data", null, null),
        defaultClass("b-class", "efs.csi.aws.com", GA, null),
        defaultClass("a-class", "ebs.csi.aws.com", BETA, null));

    assertThat(classify(facts, "data").storageClassName()).isEqualTo("a-class");
  }

  @Test
  void anAnnotationThatIsNotExactlyTrueDoesNotMakeADefault() {
    StorageClass notDefault = new StorageClassBuilder().withNewMetadata().withName("gp3")
        .withAnnotations(Map.of(GA, "True")).endMetadata().withProvisioner("ebs.csi.aws.com").build();

    var result = classify(facts(claim("data", null, null), notDefault), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.storageClassName()).isNull();
    assertThat(result.evidence()).isEqualTo("claim data names no storageClassName and no StorageClass is marked"
        + " default");
  }

  @Test
  void anEmptyClassNameMeansNoClassNeverTheDefault() {
    var facts = facts(claim("data", "", null), defaultClass("gp3", "ebs.csi.aws.com", GA, null));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.storageClassName()).isNull();
    assertThat(result.evidence()).isEqualTo("claim data has storageClassName \"\" (no class) and no PV in"
        + " spec.volumeName");
  }

  @Test
  void anEmptyClassNameWithReadWriteManyAndNothingElseIsAssumedNetwork() {
    var result = classify(facts(claim("data", "", null, "ReadWriteMany")), "data");

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).startsWith("claim data with ReadWriteMany (assumed network)");
  }

  @Test
  void anEmptyClassNameBindsStaticallyToItsVolume() {
    var facts = facts(claim("data", "", "pv-1"), inTreeVolume("pv-1", "hostPath", Map.of("path", "/srv")),
        defaultClass("efs", "efs.csi.aws.com", GA, null));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.local);
    assertThat(result.storageClassName()).isNull();
  }

  // --- Static PVs: kubernetes.io/no-provisioner and spec.claimRef ---

  /** A PV reserved for a claim by its spec.claimRef, as a static PV written for one claim is. */
  private static PersistentVolume reservedFor(PersistentVolume pv, String namespace, String claim, String uid) {
    return new PersistentVolumeBuilder(pv).editSpec().withNewClaimRef().withNamespace(namespace).withName(claim)
        .withUid(uid).endClaimRef().withStorageClassName("static").endSpec().build();
  }

  /** The class provisions nothing: only the PV the claim binds to says what backs it. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      no PV, ReadWriteOnce is a local PV  | -        | -        | ReadWriteOnce | local   | StorageClass static: \
      provisioner kubernetes.io/no-provisioner
      no PV, ReadWriteMany is not assumed | -        | -        | ReadWriteMany | unknown | StorageClass static: \
      provisioner kubernetes.io/no-provisioner with ReadWriteMany (static ReadWriteMany PVs are NFS shares
      a local PV by spec.volumeName      | local    | name     | ReadWriteOnce | local   | PV pv-1: spec.local
      a hostPath PV by spec.claimRef     | hostPath | claimRef | ReadWriteOnce | local   | PV pv-1: spec.hostPath
      an NFS PV by spec.claimRef         | nfs      | claimRef | ReadWriteMany | network | PV pv-1: spec.nfs (server \
      nas, path /x); claim data names no spec.volumeName, and PV pv-1 names it in spec.claimRef, so the PV \
      controller binds them
      """)
  void aNoProvisionerClassLeavesItToTheBoundVolume(String name, String source, String binding, String mode,
      StorageKind kind, String evidence) {
    var facts = facts(claim("data", "static", "name".equals(binding) ? "pv-1" : null, mode),
        storageClass("static", "kubernetes.io/no-provisioner", Map.of()));
    if (source != null) {
      PersistentVolume pv = inTreeVolume("pv-1", source, Map.of("server", "nas", "path", "/x"), mode);
      facts.with("claimRef".equals(binding) ? reservedFor(pv, NS, "data", null) : pv);
    }

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(kind);
    assertThat(result.evidence()).startsWith(evidence);
    if (kind == StorageKind.unknown) {
      assertThat(result.evidence()).contains("the bound PV decides, so give the PV");
    }
  }

  /** The PV controller binds a claim without spec.volumeName to the PV reserved for it, and only to that one. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      the same namespace, name and uid    | apps  | data  | uid-1 | uid-1 | network
      a claimRef without uid              | apps  | data  | -     | uid-1 | network
      another namespace                   | other | data  | -     | -     | unknown
      another claim                       | apps  | logs  | -     | -     | unknown
      a uid left from an earlier claim    | apps  | data  | uid-0 | uid-1 | unknown
      """)
  void aClaimRefBindsOnlyTheClaimItNames(String name, String namespace, String claim, String refUid, String uid,
      StorageKind kind) {
    var facts = facts(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim("data", "", null))
            .editMetadata().withUid(uid).endMetadata().build(),
        reservedFor(inTreeVolume("pv-1", "nfs", Map.of("server", "nas")), namespace, claim, refUid));

    assertThat(classify(facts, "data").kind()).isEqualTo(kind);
  }

  @Test
  void twoVolumesReservedForOneClaimBindNeitherAndSaySo() {
    var facts = facts(claim("data", "", null),
        reservedFor(inTreeVolume("pv-1", "nfs", Map.of("server", "nas")), NS, "data", null),
        reservedFor(inTreeVolume("pv-2", "hostPath", Map.of("path", "/srv")), NS, "data", null));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(StorageKind.unknown);
    assertThat(result.evidence()).contains("PVs pv-1, pv-2 all name claim data in spec.claimRef, so which one binds"
        + " is not known; set the claim's spec.volumeName");
  }

  // --- The beta class annotation ---

  private static io.fabric8.kubernetes.api.model.PersistentVolumeClaim betaClaim(String annotated, String className,
      String... accessModes) {
    return new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim("data", className, null,
        accessModes)).editMetadata().addToAnnotations(ClaimVolume.BETA_CLASS, annotated).endMetadata().build();
  }

  /** Kubernetes reads volume.beta.kubernetes.io/storage-class ahead of spec.storageClassName and the default. */
  @ParameterizedTest(name = "annotation {0}, spec {1} -> {2}")
  @CsvSource(delimiter = '|', nullValues = "-", textBlock = """
      efs | -   | efs | network | StorageClass efs: provisioner efs.csi.aws.com; claim data: annotation \
      volume.beta.kubernetes.io/storage-class efs
      efs | gp3 | efs | network | StorageClass efs: provisioner efs.csi.aws.com; claim data: annotation \
      volume.beta.kubernetes.io/storage-class efs, which Kubernetes honours ahead of spec.storageClassName gp3
      efs | ''  | efs | network | StorageClass efs: provisioner efs.csi.aws.com; claim data: annotation \
      volume.beta.kubernetes.io/storage-class efs, which Kubernetes honours ahead of spec.storageClassName ""
      ''  | -   | -   | unknown | claim data: annotation volume.beta.kubernetes.io/storage-class "" (no class); \
      claim data has no class and no PV in spec.volumeName
      """)
  void theBetaClassAnnotationNamesTheClassAheadOfTheSpecAndTheDefault(String annotated, String specClass,
      String expectedClass, StorageKind kind, String evidence) {
    var facts = facts(betaClaim(annotated, specClass), storageClass("efs", "efs.csi.aws.com", Map.of()),
        storageClass("gp3", "ebs.csi.aws.com", Map.of()), defaultClass("gp2", "ebs.csi.aws.com", GA, null));

    var result = classify(facts, "data");

    assertThat(result.kind()).isEqualTo(kind);
    assertThat(result.storageClassName()).isEqualTo(expectedClass);
    assertThat(result.evidence()).startsWith(evidence);
  }

  // --- Claims a webhook or an opted-in PVC brings, without a SqliteDatabase ---

  @Test
  void aClaimCanBeClassifiedWithoutADatabase() {
    var facts = facts(claim("incoming", "efs", null), storageClass("efs", "efs.csi.aws.com", Map.of()));

    assertThat(CLASSIFIER.classifyClaim(facts, NS, "incoming", null).kind()).isEqualTo(StorageKind.network);
    assertThat(CLASSIFIER.classifyClaim(facts, NS, "incoming", StorageOverride.local).kind())
        .isEqualTo(StorageKind.local);
  }

  @Test
  void aDatabaseWithoutNamespaceLooksInTheFactsDefaultNamespace() {
    InMemoryFacts facts = new InMemoryFacts("team-a");
    facts.add(new io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder(claim("data", "efs", null))
        .editMetadata().withNamespace(null).endMetadata().build());
    facts.add(storageClass("efs", "efs.csi.aws.com", Map.of()));
    var db = database("data");
    db.getMetadata().setNamespace(null);

    assertThat(CLASSIFIER.classify(facts, db).kind()).isEqualTo(StorageKind.network);
  }
}
