package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import io.walguard.core.Annotations;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Finds the databases of a Compose project (DESIGN.md section 10): named volumes labelled
 * {@code walguard.io/sqlite: "true"}, the volume or bind source named by a service's {@code walguard.io/sqlite}
 * label, and the volumes listed in {@code x-walguard.databases}. One volume is one database, however it was found.
 */
final class ComposeDatabases {

  private ComposeDatabases() {}

  static List<ComposeClaim> find(ComposeModel model) throws BadInputException {
    Map<String, ComposeClaim> claims = new LinkedHashMap<>();
    for (ComposeVolume volume : model.volumes().values()) {
      String label = volume.labels().get(Annotations.SQLITE);
      if (label == null || label.equalsIgnoreCase("false")) {
        continue;
      }
      if (!label.equalsIgnoreCase("true")) {
        throw volume.field().get("labels").fail("has " + Annotations.SQLITE + "=" + Quoted.quoted(label),
            "on a volume the label is \"true\" (on a service it names the volume)");
      }
      add(claims, volumeClaim(volume));
    }
    for (ComposeService service : model.services().values()) {
      for (ComposeService.Label label : service.label(Annotations.SQLITE)) {
        if (!label.value().equalsIgnoreCase("false")) {
          add(claims, serviceClaim(model, service, label.value(), label.labels()));
        }
      }
    }
    for (DeclaredDatabase declared : model.declared()) {
      ComposeClaim claim = declaredClaim(model, declared);
      ComposeClaim known = claims.get(key(claim));
      if (declared.storage().isPresent()) {
        if (known != null && known.storage().isPresent() && known.storage().get() != declared.storage().get()) {
          throw declared.field().get("storage").fail("says " + declared.storage().get() + ", but "
              + known.storageField().path() + " says " + known.storage().get(), "keep one storage per volume");
        }
        ComposeClaim base = known != null ? known : claim;
        claims.put(key(claim), base.withStorage(declared.storage().get(), declared.field().get("storage")));
      } else {
        add(claims, claim);
      }
    }
    return new ArrayList<>(claims.values());
  }

  /**
   * The mount a service's label names: a volume key or a bind source as written, or {@code "true"} for the one
   * volume or bind mount of a service that has exactly one.
   */
  private static ComposeClaim serviceClaim(ComposeModel model, ComposeService service, String label, Field labels)
      throws BadInputException {
    List<ServiceMount> mounts = model.mountsOf(service);
    List<ServiceMount> held = mounts.stream()
        .filter(m -> m.kind() != ServiceMount.Kind.other && m.source() != null).toList();
    List<String> names = held.stream().map(ServiceMount::source).distinct().toList();
    if (label.equalsIgnoreCase("true")) {
      Map<String, ComposeClaim> distinct = new LinkedHashMap<>();
      for (ServiceMount mount : held) {
        ComposeClaim claim = mount.kind() == ServiceMount.Kind.volume ? volumeClaim(model.volumes().get(mount.source()))
            : new ComposeClaim(mount.source(), null, mount.hostPath(), Optional.empty(), null);
        distinct.putIfAbsent(key(claim), claim);
      }
      if (distinct.size() == 1) {
        return distinct.values().iterator().next();
      }
      throw labels.fail("has " + Annotations.SQLITE + "=\"true\", but " + service.ref()
          + (distinct.isEmpty() ? " mounts no volume or directory" : " mounts " + distinct.size() + " ("
              + String.join(", ", names) + ")"),
          "on a service the label names the mount that holds its database (e.g. db or ./data)");
    }
    ComposeVolume volume = model.volumes().get(label);
    if (volume != null && mounts.stream().anyMatch(m -> m.kind() == ServiceMount.Kind.volume
        && label.equals(m.source()))) {
      return volumeClaim(volume);
    }
    if (ServiceMount.isHostPath(label)) {
      Path host = ServiceMount.hostPath(label, labels.baseDir());
      if (mounts.stream().anyMatch(m -> m.kind() == ServiceMount.Kind.bind && host.equals(m.hostPath()))) {
        return new ComposeClaim(label, null, host, Optional.empty(), null);
      }
    }
    throw labels.fail("has " + Annotations.SQLITE + "=" + Quoted.quoted(label) + ", which "
        + service.ref() + " does not mount", "name the mount that holds its database, as written in its volumes: "
        + (names.isEmpty() ? "(it mounts no volume)" : String.join(", ", names)));
  }

  private static ComposeClaim declaredClaim(ComposeModel model, DeclaredDatabase declared)
      throws BadInputException {
    String name = declared.volume();
    ComposeVolume volume = model.volumes().get(name);
    if (volume != null) {
      return volumeClaim(volume);
    }
    Field field = declared.field().get("volume");
    if (ServiceMount.isHostPath(name)) {
      Path host = ServiceMount.hostPath(name, field.baseDir());
      ComposeClaim claim = new ComposeClaim(name, null, host, Optional.empty(), null);
      boolean mounted = model.services().values().stream()
          .anyMatch(s -> model.mountsOf(s).stream().anyMatch(claim::mountedBy));
      if (!mounted) {
        throw field.fail("is " + Quoted.quoted(name) + ", a host path that no service mounts",
            "write the bind mount's source as a service mounts it, e.g. ./data");
      }
      return claim;
    }
    throw field.fail("is " + Quoted.quoted(name) + ", which is not a volume under volumes:",
        "name a volume key declared under volumes:, or a bind mount's source (./dir, /dir or ~/dir)");
  }

  private static ComposeClaim volumeClaim(ComposeVolume volume) {
    return new ComposeClaim(volume.key(), volume, null, Optional.empty(), null);
  }

  private static void add(Map<String, ComposeClaim> claims, ComposeClaim claim) {
    claims.putIfAbsent(key(claim), claim);
  }

  private static String key(ComposeClaim claim) {
    return claim.volume() != null ? "volume:" + claim.volume().key() : "bind:" + claim.hostPath();
  }
}
