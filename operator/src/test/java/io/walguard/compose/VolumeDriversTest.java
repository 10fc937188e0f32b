package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.storage.StorageKind;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class VolumeDriversTest {

  private final VolumeDrivers drivers = VolumeDrivers.builtIn();

  @Test
  void everyEntryHasAKnownKindANoteAndNamesNoOtherEntryHas() {
    Set<String> names = new HashSet<>();
    assertThat(drivers.plugins()).isNotEmpty().allSatisfy(plugin -> {
      if (plugin.kind() == StorageKind.unknown) {
        assertThat(plugin.optionRules()).as("%s: unknown until its options say", plugin.names()).isNotEmpty()
            .allSatisfy(rule -> assertThat(rule.kind()).isNotEqualTo(StorageKind.unknown));
        assertThat(plugin.note()).as("%s: says how to override", plugin.names()).contains("x-walguard");
      }
      assertThat(plugin.note()).isNotBlank();
      assertThat(plugin.names()).isNotEmpty().allSatisfy(name -> {
        assertThat(name).as("names are lowercase and untagged").isEqualTo(name.toLowerCase()).doesNotContain(":");
        assertThat(names.add(name)).as("%s is in one entry only", name).isTrue();
      });
      plugin.optionRules().forEach(rule -> assertThat(rule.note()).isNotBlank());
    });
    Set<String> types = new HashSet<>();
    assertThat(drivers.filesystems()).allSatisfy(fs -> {
      assertThat(fs.note()).isNotBlank();
      fs.types().forEach(type -> assertThat(types.add(type)).as("%s listed once", type).isTrue());
      assertThat(fs.locks()).isIn(null, "nfs", "smb");
    });
  }

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(delimiter = '|', textBlock = """
      rclone                                    | fuse
      RClone                                    | fuse
      rclone/docker-volume-rclone:amd64         | fuse
      rclone/docker-volume-rclone               | fuse
      rclone/docker-volume-rclone@sha256:ab12   | fuse
      docker.io/rclone/docker-volume-rclone:1.6 | fuse
      index.docker.io/vieux/sshfs:latest        | fuse
      registry.example.com:5000/vieux/sshfs     | none
      netapp/trident-plugin:23.01               | network
      trident                                   | network
      rexray/rbd                                | local
      pxd                                       | local
      local-persist                             | local
      convoy                                    | unknown
      rancher/convoy:v0.5.2                     | unknown
      nobody/knows-this                         | none
      """)
  void findsPluginsByAliasOrImageWithoutTag(String driver, String kind) {
    assertThat(drivers.plugin(driver).map(p -> p.kind().name()).orElse("none")).isEqualTo(kind);
  }
}
