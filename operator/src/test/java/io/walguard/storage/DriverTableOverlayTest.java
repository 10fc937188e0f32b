package io.walguard.storage;

import static io.walguard.storage.Volumes.claim;
import static io.walguard.storage.Volumes.facts;
import static io.walguard.storage.Volumes.storageClass;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** A user's drivers file or ConfigMap laid over the built-in table, and the errors a bad one gives. */
class DriverTableOverlayTest {

  @TempDir
  Path dir;

  private Path write(String yaml) throws IOException {
    return Files.writeString(dir.resolve("my-drivers.yaml"), yaml);
  }

  private static StorageKind kindOf(DriverTable table, String provisioner, String... modes) {
    var facts = facts(claim("data", "sc", null, modes), storageClass("sc", provisioner, Map.of()));
    return new StorageClassifier(table).classify(facts, Volumes.database("data")).kind();
  }

  @Test
  void aUserFileAddsADriver() throws IOException {
    Path file = write("""
        drivers:
          - name: csi.example.com
            kind: network
            description: Example NAS, NFS v3 exports
        """);

    DriverTable table = DriverTable.builtInWith(file);

    assertThat(kindOf(table, "csi.example.com")).isEqualTo(StorageKind.network);
    assertThat(table.drivers()).hasSize(DriverTable.builtIn().drivers().size() + 1);
    assertThat(kindOf(DriverTable.builtIn(), "csi.example.com")).isEqualTo(StorageKind.unknown);
  }

  @Test
  void aUserEntryReplacesTheBuiltInOneWhole() throws IOException {
    Path file = write("""
        drivers:
          - name: Driver.Longhorn.IO
            kind: network
            description: every Longhorn volume here is served by our NFS gateway
        """);

    DriverTable table = DriverTable.builtInWith(file);

    assertThat(kindOf(table, "driver.longhorn.io", "ReadWriteOnce")).isEqualTo(StorageKind.network);
    assertThat(table.driver("driver.longhorn.io").orElseThrow().refine()).isEmpty();
    assertThat(table.drivers()).hasSameSizeAs(DriverTable.builtIn().drivers());
  }

  @Test
  void aUserFileCanRefineAndAddFilesystems() throws IOException {
    Path file = write("""
        drivers:
          - name: "*.nas.example.com"
            kind: local
            description: Example storage, block unless asked for files
            refine:
              - parameter: mode
                values: [file, "nfs*"]
                kind: network
                description: Example file share
        filesystems:
          - {name: examplefs, kind: network, description: the Example client}
        """);

    DriverTable table = DriverTable.builtInWith(file);
    var facts = facts(claim("data", "sc", null),
        storageClass("sc", "eu.nas.example.com", Map.of("mode", "NFSv3")));

    var result = new StorageClassifier(table).classify(facts, Volumes.database("data"));

    assertThat(result.kind()).isEqualTo(StorageKind.network);
    assertThat(result.evidence()).isEqualTo("StorageClass sc: provisioner eu.nas.example.com (table entry"
        + " *.nas.example.com) with parameters.mode NFSv3 (Example file share)");
    assertThat(table.filesystem("examplefs").map(DriverEntry::kind)).contains(StorageKind.network);
  }

  @Test
  void anOverlayFromAConfigMapWorksLikeAFile() {
    DriverTable table = DriverTable.builtIn().withOverlay("""
        drivers:
          - {name: csi.example.com, kind: fuse, description: a bucket}
        """, "ConfigMap walguard/walguard-drivers key drivers.yaml");

    assertThat(kindOf(table, "csi.example.com")).isEqualTo(StorageKind.fuse);
  }

  @Test
  void anEmptyFileChangesNothing() throws IOException {
    DriverTable table = DriverTable.builtInWith(write("# nothing yet\n"));

    assertThat(table.drivers()).isEqualTo(DriverTable.builtIn().drivers());
  }

  @Test
  void aMissingFileIsNamed() {
    Path missing = dir.resolve("nope.yaml");

    assertThatThrownBy(() -> DriverTable.builtInWith(missing))
        .isInstanceOf(DriverTableException.class)
        .hasMessage("drivers file " + missing + ": no such file");
  }

  @Test
  void aBinaryFileIsReportedNotParsed() throws IOException {
    Path file = Files.write(dir.resolve("drivers.bin"), new byte[] {(byte) 0xff, (byte) 0xfe, 0, 1, 2});

    assertThatThrownBy(() -> DriverTable.builtInWith(file))
        .isInstanceOf(DriverTableException.class)
        .hasMessage("drivers file " + file + ": not UTF-8 text; give a YAML file");
  }

  @Test
  void aDirectoryIsReportedNotParsed() {
    assertThatThrownBy(() -> DriverTable.builtInWith(dir))
        .isInstanceOf(DriverTableException.class)
        .hasMessageStartingWith("drivers file " + dir + ": cannot be read (");
  }

  @Test
  void aYamlSyntaxErrorNamesTheFileAndLine() throws IOException {
    Path file = write("""
        drivers:
          - name: csi.example.com
            kind: [network
        """);

    assertThatThrownBy(() -> DriverTable.builtInWith(file))
        .isInstanceOf(DriverTableException.class)
        .hasMessageStartingWith("drivers file " + file + ": not valid YAML at line ");
  }

  /** Each bad file names the file, the entry and the field, and says what is allowed. */
  @ParameterizedTest(name = "{1}")
  @CsvSource(delimiter = '|', quoteCharacter = '\'', textBlock = """
      'drivers: [{name: csi.example.com, kind: nfs}]' | 'drivers[0] "csi.example.com": field kind: "nfs" is not one of local, network, fuse, unknown'
      'drivers: [{name: csi.example.com}]' | 'drivers[0] "csi.example.com": field kind is missing; give one of local, network, fuse, unknown'
      'drivers: [{kind: local}]' | 'drivers[0]: field name is missing; give the driver or provisioner name, or a pattern with *'
      'filesystems: [{kind: local}]' | 'filesystems[0]: field name is missing; give the filesystem type, or a pattern with *'
      'drivers: [{name: a.example.com, kind: local}, {name: b.example.com, knd: local}]' | 'drivers[1] "b.example.com": unknown field knd; allowed: name, kind, description, refine, mountOptionParameters, nfsVersion'
      'drivers: [{name: csi.example.com, kind: network, nfsVersion: four}]' | 'drivers[0] "csi.example.com": field nfsVersion: "four" is not an NFS version such as 3, 4 or 4.1'
      'filesystems: [{name: xfs2, kind: local, refine: []}]' | 'filesystems[0] "xfs2": unknown field refine; allowed: name, kind, description'
      'drivers: [{name: csi.example.com, kind: local, refine: [{parameter: p, accessMode: ReadWriteMany, kind: network}]}]' | 'drivers[0] "csi.example.com": field refine[0] must have exactly one of parameter, accessMode or fsType (it has 2)'
      'drivers: [{name: csi.example.com, kind: local, refine: [{kind: network}]}]' | 'drivers[0] "csi.example.com": field refine[0] must have exactly one of parameter, accessMode or fsType (it has 0)'
      'drivers: [{name: csi.example.com, kind: local, refine: [{accessMode: RWX, kind: network}]}]' | 'drivers[0] "csi.example.com": field refine[0].accessMode: "RWX" is not one of ReadWriteOnce, ReadOnlyMany, ReadWriteMany, ReadWriteOncePod'
      'drivers: [{name: csi.example.com, kind: local, refine: [{accessMode: ReadWriteMany, kind: shared}]}]' | 'drivers[0] "csi.example.com": field refine[0].kind: "shared" is not one of local, network, fuse, unknown'
      'drivers: [{name: csi.example.com, kind: local, refine: [{accessMode: ReadWriteMany, values: [x], kind: network}]}]' | 'drivers[0] "csi.example.com": field refine[0].values only goes with parameter'
      'drivers: [{name: csi.example.com, kind: local, refine: [{parameter: p, kind: network, why: x}]}]' | 'drivers[0] "csi.example.com": unknown field refine[0].why; allowed: parameter, values, accessMode, fsType, kind, description'
      'drivers: [{name: csi.example.com, kind: local, refine: {parameter: p}}]' | 'drivers[0] "csi.example.com": field refine must be a list of conditions'
      'drivers: [{name: csi.example.com, kind: local, description: [a, b]}]' | 'drivers[0] "csi.example.com": field description must be a single value, not a list or mapping'
      'drivers: [{name: csi.example.com, kind: local}, {name: CSI.example.com, kind: network}]' | 'drivers[1] "CSI.example.com": the name appears twice in drivers; keep one entry per name'
      'drivers: [csi.example.com]' | 'drivers[0]: must be a mapping with name, kind and description'
      'drivers: {name: csi.example.com}' | 'drivers must be a list of entries'
      'driver: []' | 'unknown top-level key "driver"; allowed: drivers, filesystems, volumeSources, mountOptions'
      '[a, b]' | 'the top level must be a mapping with the keys drivers, filesystems, volumeSources, mountOptions'
      """)
  void aBadFileNamesTheFileTheEntryAndTheField(String yaml, String message) throws IOException {
    Path file = write(yaml);

    assertThatThrownBy(() -> DriverTable.builtInWith(file))
        .isInstanceOf(DriverTableException.class)
        .hasMessage("drivers file " + file + ": " + message);
  }

  @Test
  void aDuplicateKeyInOneEntryIsAnError() {
    assertThatThrownBy(() -> DriverTable.builtIn().withOverlay("""
        drivers:
          - name: csi.example.com
            kind: local
            kind: network
        """, "ConfigMap walguard/drivers"))
        .isInstanceOf(DriverTableException.class)
        .hasMessageContaining("ConfigMap walguard/drivers: not valid YAML at line 4")
        .hasMessageContaining("kind");
  }

  @Test
  void aBadOverlayLeavesTheTableAsItWas() {
    DriverTable before = DriverTable.builtIn();

    assertThatThrownBy(() -> before.withOverlay("drivers: [{name: efs.csi.aws.com, kind: nope}]", "x"))
        .isInstanceOf(DriverTableException.class);
    assertThat(before.driver("efs.csi.aws.com").map(DriverEntry::kind)).contains(StorageKind.network);
  }
}
