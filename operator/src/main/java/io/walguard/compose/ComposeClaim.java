package io.walguard.compose;

import io.walguard.storage.StorageKind;
import java.nio.file.Path;
import java.util.Optional;

/**
 * A volume of a Compose project that holds a SQLite database: a named volume, or a host directory mounted by
 * bind mounts.
 *
 * @param name the volume's key under {@code volumes:}, or the bind mount's source as first written
 * @param volume the named volume, or null for a bind mount
 * @param hostPath the bind mount's host directory (absolute), or null for a named volume
 * @param storage what {@code x-walguard} says backs it, overriding the classifier
 * @param storageField where {@code x-walguard} said so, or null
 */
record ComposeClaim(String name, ComposeVolume volume, Path hostPath, Optional<StorageKind> storage,
    Field storageField) {

  boolean mountedBy(ServiceMount mount) {
    if (volume != null) {
      return mount.kind() == ServiceMount.Kind.volume && volume.key().equals(mount.source());
    }
    return mount.kind() == ServiceMount.Kind.bind && hostPath.equals(mount.hostPath());
  }

  String describe() {
    return volume != null ? "volume " + name : "bind mount " + name;
  }

  ComposeClaim withStorage(StorageKind kind, Field field) {
    return new ComposeClaim(name, volume, hostPath, Optional.of(kind), field);
  }
}
