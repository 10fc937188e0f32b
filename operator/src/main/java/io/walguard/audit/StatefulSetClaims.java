package io.walguard.audit;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimSpecBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.walguard.core.InMemoryFacts;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.stream.LongStream;

/**
 * The claims a StatefulSet's {@code volumeClaimTemplates} create, {@code <template>-<statefulset>-<ordinal>}, which
 * exist by name even when no PVC object is given: the facts get one, with the template's spec, for each that is
 * missing.
 */
public final class StatefulSetClaims {

  /**
   * The most replicas walguard audits of a StatefulSet with volumeClaimTemplates, whose claims it names one by one;
   * far more than a StatefulSet of SQLite openers runs, and few enough to list.
   */
  public static final int MAX_REPLICAS = 10_000;

  private StatefulSetClaims() {}

  static boolean hasTemplates(StatefulSet statefulSet) {
    return !templates(statefulSet).isEmpty();
  }

  /** The claim names of one StatefulSet's templates, for each of its ordinals. */
  public static List<String> names(StatefulSet statefulSet) {
    List<String> names = new ArrayList<>();
    for (PersistentVolumeClaim template : templates(statefulSet)) {
      for (long ordinal : ordinals(statefulSet)) {
        names.add(name(template, statefulSet, ordinal));
      }
    }
    return names;
  }

  /** Adds a PVC for every template claim the facts do not hold yet; returns the ones added. */
  public static List<PersistentVolumeClaim> addMissing(InMemoryFacts facts) {
    List<PersistentVolumeClaim> added = new ArrayList<>();
    for (HasMetadata workload : facts.allWorkloads()) {
      if (!(workload instanceof StatefulSet statefulSet)) {
        continue;
      }
      String namespace = facts.namespaceOf(statefulSet);
      for (PersistentVolumeClaim template : templates(statefulSet)) {
        for (long ordinal : ordinals(statefulSet)) {
          String name = name(template, statefulSet, ordinal);
          if (facts.claim(namespace, name).isEmpty()) {
            PersistentVolumeClaim claim = fromTemplate(template, namespace, name);
            facts.add(claim);
            added.add(claim);
          }
        }
      }
    }
    return added;
  }

  /**
   * The claim of that name the StatefulSet's templates create, {@code <template>-<statefulset>-<ordinal>} with the
   * ordinal among its pods', as it would be before the StatefulSet controller creates it; empty when the name is
   * not one of them.
   */
  public static Optional<PersistentVolumeClaim> claim(StatefulSet statefulSet, String namespace, String name) {
    List<PersistentVolumeClaim> templates = templates(statefulSet);
    if (templates.isEmpty() || statefulSet.getMetadata() == null || statefulSet.getMetadata().getName() == null) {
      return Optional.empty();
    }
    var spec = statefulSet.getSpec();
    long first = spec.getOrdinals() == null || spec.getOrdinals().getStart() == null ? 0
        : spec.getOrdinals().getStart();
    long count = spec.getReplicas() == null ? 1 : Math.max(1, spec.getReplicas());
    for (PersistentVolumeClaim template : templates) {
      String prefix = template.getMetadata().getName() + "-" + statefulSet.getMetadata().getName() + "-";
      if (!name.startsWith(prefix)) {
        continue;
      }
      String ordinal = name.substring(prefix.length());
      if (!ordinal.matches("0|[1-9][0-9]{0,18}")) {
        continue;
      }
      long n;
      try {
        n = Long.parseLong(ordinal);
      } catch (NumberFormatException tooLarge) {
        continue;
      }
      // the same ordinals as ordinals(), counted without listing them: the admitted object may ask for millions
      if (n >= first && n < first + count) {
        return Optional.of(fromTemplate(template, namespace, name));
      }
    }
    return Optional.empty();
  }

  private static PersistentVolumeClaim fromTemplate(PersistentVolumeClaim template, String namespace, String name) {
    var metadata = template.getMetadata() == null ? new ObjectMetaBuilder() : new ObjectMetaBuilder()
        .withLabels(template.getMetadata().getLabels())
        .withAnnotations(template.getMetadata().getAnnotations());
    return new PersistentVolumeClaimBuilder()
        .withMetadata(metadata.withName(name).withNamespace(namespace).build())
        .withSpec(template.getSpec() == null ? null
            : new PersistentVolumeClaimSpecBuilder(template.getSpec()).build())
        .build();
  }

  private static List<PersistentVolumeClaim> templates(StatefulSet statefulSet) {
    if (statefulSet.getSpec() == null || statefulSet.getSpec().getVolumeClaimTemplates() == null) {
      return List.of();
    }
    return statefulSet.getSpec().getVolumeClaimTemplates().stream()
        .filter(t -> t.getMetadata() != null && t.getMetadata().getName() != null)
        .toList();
  }

  /**
   * The ordinals of its pods: from {@code spec.ordinals.start} (default 0), one per replica, and at least one, since
   * a StatefulSet scaled to zero keeps its claims.
   */
  private static long[] ordinals(StatefulSet statefulSet) {
    var spec = statefulSet.getSpec();
    int replicas = spec == null || spec.getReplicas() == null ? 1 : Math.max(1, spec.getReplicas());
    long start = spec == null || spec.getOrdinals() == null || spec.getOrdinals().getStart() == null
        ? 0 : spec.getOrdinals().getStart();
    // Counted in long: a start near the top of int would wrap around in int.
    return LongStream.range(start, start + replicas).toArray();
  }

  private static String name(PersistentVolumeClaim template, StatefulSet statefulSet, long ordinal) {
    return template.getMetadata().getName() + "-" + statefulSet.getMetadata().getName() + "-" + ordinal;
  }
}
