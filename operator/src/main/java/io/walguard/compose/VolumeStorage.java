package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import io.walguard.core.Annotations;
import io.walguard.storage.StorageClassification;
import io.walguard.storage.StorageKind;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/**
 * What backs a Compose database's volume (DESIGN.md section 10), with evidence that names the volume and the field:
 * the {@code x-walguard} storage, then the volume's {@code walguard.io/storage} label, then the volume itself (bind
 * mount, {@code local} driver and its driver_opts, or a volume plugin from the driver table).
 */
final class VolumeStorage {

  private final VolumeDrivers drivers;

  VolumeStorage(VolumeDrivers drivers) {
    this.drivers = drivers;
  }

  StorageClassification classify(ComposeClaim claim, boolean swarm) throws BadInputException {
    if (claim.storage().isPresent()) {
      return StorageClassification.of(claim.storage().get(), claim.storageField().path() + ": "
          + claim.storage().get() + " (set in the Compose file)");
    }
    ComposeVolume volume = claim.volume();
    if (volume == null) {
      return StorageClassification.of(StorageKind.local, "bind mount " + claim.name() + ": a directory of the host"
          + (swarm ? " (if that directory is a network share mounted on several nodes, set storage: network for it"
              + " in x-walguard)" : ""));
    }
    String what = "volume " + volume.key();
    String label = volume.labels().get(Annotations.STORAGE);
    if (label != null) {
      return StorageClassification.of(labelled(label, volume), what + ": label " + Annotations.STORAGE + "=" + label);
    }
    if (volume.external()) {
      return StorageClassification.of(StorageKind.unknown, what + ": external: true, created outside this file, so"
          + " its driver is not written here");
    }
    String driver = volume.driver();
    if (driver == null || driver.equalsIgnoreCase("local")) {
      return localDriver(volume, what);
    }
    return plugin(volume, what, driver);
  }

  private StorageClassification localDriver(ComposeVolume volume, String what) {
    Map<String, String> opts = volume.driverOpts();
    String driverText = volume.driver() == null ? "no driver (Docker's local driver)" : "driver " + volume.driver();
    if (opts.isEmpty()) {
      return StorageClassification.of(StorageKind.local, what + ": " + driverText
          + ", no driver_opts: a directory of the host");
    }
    String type = opts.getOrDefault("type", "").trim().toLowerCase(Locale.ROOT);
    MountOptions o = new MountOptions(opts.get("o"));
    String device = opts.get("device");
    Optional<VolumeDrivers.Filesystem> filesystem = type.isEmpty() ? Optional.empty() : drivers.filesystem(type);
    boolean network = filesystem.map(f -> f.kind() == StorageKind.network).orElse(false) || o.has("addr");
    if (network) {
      String typeText = type.isEmpty() ? "no type" : "type " + type;
      String where = o.get("addr").map(a -> "addr=" + a).orElse(device == null ? "" : "device " + device);
      String locks = filesystem.map(VolumeDrivers.Filesystem::locks).orElse(null);
      MountOptions.NodeLocalLocks nodeLocal = o.nodeLocalLocks(locks, type);
      String evidence = what + ": driver_opts " + typeText + (where.isEmpty() ? "" : " (" + where + ")")
          + filesystem.map(f -> ", " + f.note()).orElse(", a network share")
          + (nodeLocal.ignored() == null ? "" : "; " + nodeLocal.ignored());
      return new StorageClassification(StorageKind.network, evidence, nodeLocal.nodeLocal(),
          nodeLocal.nodeLocal() ? what + ": driver_opts " + nodeLocal.evidence() : null, null, "local/" + type);
    }
    if ((type.isEmpty() || type.equals("none")) && (o.has("bind") || o.has("rbind"))) {
      return StorageClassification.of(StorageKind.local, what + ": driver_opts type none, o bind"
          + (device == null ? "" : " (device " + device + ")") + ": a directory of the host");
    }
    if (filesystem.isPresent()) {
      return StorageClassification.of(filesystem.get().kind(), what + ": driver_opts type " + type
          + (device == null ? "" : " (device " + device + ")") + ", " + filesystem.get().note());
    }
    return StorageClassification.of(StorageKind.unknown, what + ": driver_opts " + (type.isEmpty()
        ? "without type" : "type " + type) + ", which walguard does not know");
  }

  private StorageClassification plugin(ComposeVolume volume, String what, String driver) {
    Optional<VolumeDrivers.Plugin> plugin = drivers.plugin(driver);
    if (plugin.isEmpty()) {
      return StorageClassification.of(StorageKind.unknown, what + ": driver " + driver
          + ", a volume plugin walguard does not know");
    }
    Optional<VolumeDrivers.OptionRule> rule = VolumeDrivers.option(plugin.get(), volume.driverOpts());
    StorageKind kind = rule.map(VolumeDrivers.OptionRule::kind).orElse(plugin.get().kind());
    String note = rule.map(r -> "driver_opts " + r.option() + "=" + r.equals() + ": " + r.note())
        .orElse(plugin.get().note());
    return new StorageClassification(kind, what + ": driver " + driver + " (" + note + ")", false, null, null,
        driver);
  }

  private static StorageKind labelled(String label, ComposeVolume volume) throws BadInputException {
    return switch (label.trim().toLowerCase(Locale.ROOT)) {
      case "local" -> StorageKind.local;
      case "network" -> StorageKind.network;
      case "fuse" -> StorageKind.fuse;
      default -> throw volume.field().get("labels").fail("has " + Annotations.STORAGE + "=" + Quoted.quoted(label),
          "use local, network or fuse");
    };
  }
}
