package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.apps.AppProfile;
import io.walguard.apps.AppProfiles;
import io.walguard.core.Annotations;
import io.walguard.core.InMemoryFacts;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.function.Consumer;
import java.util.stream.Stream;

/**
 * Finds the databases to audit (DESIGN.md section 9): every SqliteDatabase, and every claim opted in with the
 * annotation {@code walguard.io/sqlite: "true"} on the PVC, or on a workload or Pod (or its pod template) that
 * mounts it. A claim opted in by annotation becomes a database named after the claim, as the operator creates it
 * (remedy none: it only reports until a person adopts a remedy), unless a SqliteDatabase already covers it: then the
 * SqliteDatabase is the one reported.
 */
public final class DatabaseDiscovery {

  /** One database to decide on: where it is reported, and the SqliteDatabase (declared or synthesized) to decide. */
  public record Target(String namespace, String name, String claim, SqliteDatabase database) {}

  private final AppProfiles apps;
  private final SqliteDatabaseRules rules;
  private final Consumer<String> notes;

  public DatabaseDiscovery(AppProfiles apps, Consumer<String> notes) {
    this.apps = apps;
    this.rules = new SqliteDatabaseRules(apps, notes);
    this.notes = notes;
  }

  public List<Target> discover(Manifests manifests) throws BadInputException {
    InMemoryFacts facts = manifests.facts();
    List<Target> targets = new ArrayList<>();
    Set<String> covered = new HashSet<>();
    for (SqliteDatabase database : facts.databases()) {
      rules.check(database, manifests);
      String namespace = facts.namespaceOf(database);
      String claim = database.getSpec().getClaimName();
      targets.add(new Target(namespace, database.getMetadata().getName(), claim, database));
      covered.add(namespace + "/" + claim);
    }

    Map<String, OptIn> optIns = new TreeMap<>();
    for (PersistentVolumeClaim claim : facts.claims()) {
      if (optedIn(PodTemplates.annotation(claim.getMetadata(), Annotations.SQLITE))) {
        optIns.computeIfAbsent(facts.namespaceOf(claim) + "/" + claim.getMetadata().getName(),
            key -> new OptIn(facts.namespaceOf(claim), claim.getMetadata().getName())).holders.add(claim);
      }
    }
    for (HasMetadata opener : openers(facts)) {
      if (optedIn(PodTemplates.annotation(opener, Annotations.SQLITE))) {
        String namespace = facts.namespaceOf(opener);
        List<String> claims = claimsOf(opener);
        if (claims.isEmpty()) {
          Origin origin = manifests.originOf(opener);
          notes.accept(origin.describe() + ": " + SqliteDatabaseRules.ref(opener, origin) + " carries "
              + Annotations.SQLITE + ": \"true\", but its pods mount no PersistentVolumeClaim, so it opts no database"
              + " in: walguard audits databases on claims");
        }
        for (String claim : claims) {
          optIns.computeIfAbsent(namespace + "/" + claim, key -> new OptIn(namespace, claim)).holders.add(opener);
        }
      }
    }
    for (HasMetadata other : facts.others()) {
      unreadOptIn(other, manifests);
    }

    Map<String, Optional<AppProfile>> appsByClaim = new LinkedHashMap<>();
    for (HasMetadata opener : openers(facts)) {
      Optional<AppProfile> app = PodTemplates.images(opener).stream()
          .map(apps::byImage).flatMap(Optional::stream).findFirst();
      for (String claim : claimsOf(opener)) {
        appsByClaim.merge(facts.namespaceOf(opener) + "/" + claim, app, (a, b) -> a.isPresent() ? a : b);
      }
    }

    for (Map.Entry<String, OptIn> entry : optIns.entrySet()) {
      if (covered.contains(entry.getKey())) {
        continue;
      }
      OptIn optIn = entry.getValue();
      String file = fileOf(optIn, facts, manifests);
      String app = appsByClaim.getOrDefault(entry.getKey(), Optional.empty()).map(AppProfile::name).orElse(null);
      targets.add(new Target(optIn.namespace, optIn.claim, optIn.claim,
          synthesize(optIn.namespace, optIn.claim, file, app)));
    }
    return targets;
  }

  /**
   * The database file named by {@code walguard.io/sqlite-file}: on the claim first, then on whatever opted the claim
   * in; empty when nobody names it (the audit does not need it).
   */
  private static String fileOf(OptIn optIn, InMemoryFacts facts, Manifests manifests) throws BadInputException {
    List<HasMetadata> candidates = new ArrayList<>();
    facts.claim(optIn.namespace, optIn.claim).ifPresent(candidates::add);
    candidates.addAll(optIn.holders);
    for (HasMetadata holder : candidates) {
      Optional<String> file = holder instanceof PersistentVolumeClaim claim
          ? PodTemplates.annotation(claim.getMetadata(), Annotations.SQLITE_FILE)
          : PodTemplates.annotation(holder, Annotations.SQLITE_FILE);
      if (file.isPresent() && !file.get().isBlank()) {
        Origin origin = manifests.originOf(holder, "metadata", "annotations", Annotations.SQLITE_FILE);
        SqliteDatabaseRules.checkFile(file.get(), origin,
            SqliteDatabaseRules.ref(holder, origin) + ": annotation " + Annotations.SQLITE_FILE);
        return file.get();
      }
    }
    return "";
  }

  /**
   * An object of a kind walguard does not read (an Argo Rollout, a ReplicationController ...) that carries the opt-in
   * annotation, on itself or on a pod template: it is not audited and its pods are not counted as openers, which a
   * note says rather than leaving it out in silence.
   */
  private void unreadOptIn(HasMetadata object, Manifests manifests) {
    Map<?, ?> fields = ManifestObjects.serialization().convertValue(object, Map.class);
    Object template = at(fields, "spec", "template");
    boolean annotated = Stream.of(at(fields, "metadata", "annotations", Annotations.SQLITE),
        at(template, "metadata", "annotations", Annotations.SQLITE))
        .anyMatch(value -> value instanceof String text && optedIn(Optional.of(text)));
    if (!annotated) {
      return;
    }
    List<String> claims = new ArrayList<>();
    if (at(template, "spec", "volumes") instanceof List<?> volumes) {
      for (Object volume : volumes) {
        if (at(volume, "persistentVolumeClaim", "claimName") instanceof String claim) {
          claims.add(claim);
        }
      }
    }
    Origin origin = manifests.originOf(object);
    notes.accept(origin.describe() + ": " + SqliteDatabaseRules.ref(object, origin) + " (" + object.getApiVersion()
        + ") carries " + Annotations.SQLITE + ": \"true\", but walguard does not read " + object.getKind()
        + " objects: it is not audited, and its pods are not counted as openers"
        + (claims.isEmpty() ? "" : " of " + String.join(", ", claims) + "; to audit "
            + (claims.size() == 1 ? "that claim, annotate its PVC" : "those claims, annotate their PVCs")
            + " or write a SqliteDatabase, and mind that these pods still are not counted"));
  }

  private static Object at(Object node, String... path) {
    for (String key : path) {
      if (!(node instanceof Map<?, ?> map)) {
        return null;
      }
      node = map.get(key);
    }
    return node;
  }

  /**
   * The SqliteDatabase the operator creates for a claim opted in by annotation, as it creates it: named after the
   * claim, labelled as walguard's, with remedy none and checkpoints off, so that the audit gives the verdict and action the operator
   * will.
   */
  private static SqliteDatabase synthesize(String namespace, String claim, String file, String app) {
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile(file);
    spec.setApp(app);
    spec.setRemedy(SqliteDatabaseSpec.Remedy.none);
    spec.setCheckpoint(new io.walguard.api.CheckpointSpec());
    spec.getCheckpoint().setEnabled(false);
    SqliteDatabase database = new SqliteDatabase();
    database.setMetadata(new ObjectMetaBuilder().withName(claim).withNamespace(namespace)
        .withLabels(Map.of(Annotations.MANAGED_BY, Annotations.MANAGER, Annotations.DATABASE, claim)).build());
    database.setSpec(spec);
    return database;
  }

  private static List<HasMetadata> openers(InMemoryFacts facts) {
    return Stream.concat(facts.allWorkloads().stream(), facts.allPods().stream()).toList();
  }

  /** The claims an opener's pods mount: its volumes, and for a StatefulSet the claims of its templates. */
  private static List<String> claimsOf(HasMetadata opener) {
    List<String> claims = new ArrayList<>(PodTemplates.mountedClaims(opener));
    if (opener instanceof StatefulSet statefulSet) {
      claims.addAll(StatefulSetClaims.names(statefulSet));
    }
    return claims;
  }

  private static boolean optedIn(Optional<String> annotation) {
    return annotation.map(value -> value.strip().equalsIgnoreCase("true")).orElse(false);
  }

  /** A claim opted in by annotation, and the objects that carry the annotation. */
  private static final class OptIn {
    final String namespace;
    final String claim;
    final List<HasMetadata> holders = new ArrayList<>();

    OptIn(String namespace, String claim) {
      this.namespace = namespace;
      this.claim = claim;
    }
  }
}
