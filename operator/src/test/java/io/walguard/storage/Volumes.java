package io.walguard.storage;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolume;
import io.fabric8.kubernetes.api.model.PersistentVolumeBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.storage.StorageClass;
import io.fabric8.kubernetes.api.model.storage.StorageClassBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.api.SqliteDatabaseSpec.StorageOverride;
import io.walguard.core.InMemoryFacts;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** Small builders for the objects a storage classification reads, and a Facts that can hold a probe result. */
final class Volumes {

  static final String NS = "apps";
  static final DriverTable TABLE = DriverTable.builtIn();
  static final StorageClassifier CLASSIFIER = new StorageClassifier(TABLE);

  private Volumes() {}

  /** In-memory facts plus what a probe pod saw, if anything. */
  static final class ProbedFacts extends InMemoryFacts {
    private MountObservation probe;

    ProbedFacts() {
      super(NS);
    }

    ProbedFacts probe(String fstype, String source, String options) {
      this.probe = new MountObservation(fstype, source, options);
      return this;
    }

    @Override
    public Optional<MountObservation> probedMount(SqliteDatabase database) {
      return Optional.ofNullable(probe);
    }

    ProbedFacts with(io.fabric8.kubernetes.api.model.HasMetadata... objects) {
      Arrays.stream(objects).forEach(this::add);
      return this;
    }
  }

  static ProbedFacts facts(io.fabric8.kubernetes.api.model.HasMetadata... objects) {
    return new ProbedFacts().with(objects);
  }

  static SqliteDatabase database(String claimName, StorageOverride override) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new ObjectMetaBuilder().withName("app").withNamespace(NS).build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claimName);
    spec.setFile("app.db");
    spec.setStorage(override);
    db.setSpec(spec);
    return db;
  }

  static SqliteDatabase database(String claimName) {
    return database(claimName, StorageOverride.auto);
  }

  static StorageClassification classify(ProbedFacts facts, String claimName) {
    return CLASSIFIER.classify(facts, database(claimName));
  }

  /** A claim; className null leaves storageClassName unset, "" asks for no class. */
  static PersistentVolumeClaim claim(String name, String className, String volumeName, String... accessModes) {
    return new PersistentVolumeClaimBuilder()
        .withNewMetadata().withName(name).withNamespace(NS).endMetadata()
        .withNewSpec()
        .withStorageClassName(className)
        .withVolumeName(volumeName)
        .withAccessModes(accessModes.length == 0 ? List.of("ReadWriteOnce") : List.of(accessModes))
        .endSpec()
        .build();
  }

  static StorageClassBuilder storageClass(String name, String provisioner) {
    return new StorageClassBuilder().withNewMetadata().withName(name).endMetadata().withProvisioner(provisioner);
  }

  static StorageClass storageClass(String name, String provisioner, Map<String, String> parameters) {
    return storageClass(name, provisioner).withParameters(parameters).build();
  }

  static StorageClass defaultClass(String name, String provisioner, String annotation, String created) {
    return new StorageClassBuilder()
        .withNewMetadata().withName(name).withCreationTimestamp(created)
        .withAnnotations(Map.of(annotation, "true")).endMetadata()
        .withProvisioner(provisioner)
        .build();
  }

  static PersistentVolume csiVolume(String name, String driver, Map<String, String> attributes, String... modes) {
    return new PersistentVolumeBuilder()
        .withNewMetadata().withName(name).endMetadata()
        .withNewSpec()
        .withAccessModes(modes.length == 0 ? List.of("ReadWriteOnce") : List.of(modes))
        .withNewCsi().withDriver(driver).withVolumeHandle(name).withVolumeAttributes(attributes).endCsi()
        .endSpec()
        .build();
  }

  /** A PV with one in-tree volume source, e.g. {@code inTreeVolume("pv", "nfs", Map.of("server", "10.0.0.5"))}. */
  static PersistentVolume inTreeVolume(String name, String field, Map<String, Object> source, String... modes) {
    Map<String, Object> spec = new LinkedHashMap<>();
    spec.put("accessModes", modes.length == 0 ? List.of("ReadWriteOnce") : List.of(modes));
    spec.put(field, source);
    Map<String, Object> pv = Map.of("apiVersion", "v1", "kind", "PersistentVolume",
        "metadata", Map.of("name", name), "spec", spec);
    return new ObjectMapper().convertValue(pv, PersistentVolume.class);
  }

  /** A concrete name for a table name that may be a pattern. */
  static String instance(String name) {
    return name.replace("*", "example");
  }

  /** A concrete value for a refinement value that may be a pattern. */
  static String valueInstance(String value) {
    return value.replace("*", "");
  }

  /** "k=v;k2=v2" as a map; blank for none. */
  static Map<String, String> params(String text) {
    Map<String, String> map = new LinkedHashMap<>();
    if (text != null && !text.isBlank()) {
      for (String pair : text.split(";")) {
        int eq = pair.indexOf('=');
        map.put(pair.substring(0, eq).trim(), pair.substring(eq + 1).trim());
      }
    }
    return map;
  }
}
