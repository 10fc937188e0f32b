package io.walguard.placement;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.LabelSelector;
import io.fabric8.kubernetes.api.model.ObjectMetaBuilder;
import io.fabric8.kubernetes.client.utils.Serialization;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.core.InMemoryFacts;
import java.util.Arrays;
import java.util.List;
import java.util.stream.Collectors;

/**
 * Small Kubernetes manifests for placement tests, written as YAML flow mappings and parsed by the fabric8 model, so
 * that each case reads like the manifest a user would write. Every workload mounts the claim {@code data} unless told
 * otherwise; {@code spec} and {@code pod} are extra entries for the workload spec and the pod spec.
 */
final class Manifests {

  static final String CLAIM = "data";
  static final String NS = "apps";

  private Manifests() {}

  /** Parses one manifest; the document marker keeps fabric8 from taking a flow mapping for JSON. */
  static HasMetadata parse(String yaml) {
    return Serialization.unmarshal("---\n" + yaml);
  }

  static InMemoryFacts facts(String... yamls) {
    return InMemoryFacts.of(NS, Arrays.stream(yamls).map(Manifests::parse).toList());
  }

  static SqliteDatabase database(String claim, String selectorYaml) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new ObjectMetaBuilder().withName("db").withNamespace(NS).build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile("app.db");
    if (selectorYaml != null) {
      spec.setWorkloadSelector(Serialization.unmarshal("---\n" + selectorYaml, LabelSelector.class));
    }
    db.setSpec(spec);
    return db;
  }

  static Placement analyzeClaim(String claim, String selectorYaml, String... yamls) {
    return new PlacementAnalyzer().analyze(facts(yamls), database(claim, selectorYaml));
  }

  static Placement analyze(String... yamls) {
    return analyzeClaim(CLAIM, null, yamls);
  }

  private static String entries(String extra) {
    return extra == null || extra.isEmpty() ? "" : extra + ", ";
  }

  private static String template(String app, String pod, String claim) {
    return "template: {metadata: {labels: {app: " + app + "}}, spec: {" + entries(pod)
        + "containers: [{name: app, image: example/app}], "
        + "volumes: [{name: db, persistentVolumeClaim: {claimName: " + claim + "}}]}}";
  }

  static String deployment(String name, String spec, String pod) {
    return appsWorkload("Deployment", name, spec, pod, CLAIM);
  }

  static String deployment(String name, String spec, String pod, String claim) {
    return appsWorkload("Deployment", name, spec, pod, claim);
  }

  static String statefulSet(String name, String spec, String pod) {
    return appsWorkload("StatefulSet", name, spec, pod, CLAIM);
  }

  /** A StatefulSet that mounts no shared claim, only its per-pod claims from the template {@code data}. */
  static String statefulSetWithClaimTemplate(String name, String spec) {
    return "{apiVersion: apps/v1, kind: StatefulSet, metadata: {name: " + name + "}, spec: {" + entries(spec)
        + "serviceName: " + name + ", selector: {matchLabels: {app: " + name + "}}, "
        + "template: {metadata: {labels: {app: " + name + "}}, spec: {containers: [{name: app, image: example/app,"
        + " volumeMounts: [{name: data, mountPath: /data}]}]}}, "
        + "volumeClaimTemplates: [{metadata: {name: data}, spec: {accessModes: [ReadWriteOnce],"
        + " resources: {requests: {storage: 1Gi}}}}]}}";
  }

  static String daemonSet(String name, String spec, String pod) {
    return appsWorkload("DaemonSet", name, spec, pod, CLAIM);
  }

  static String replicaSet(String name, String meta, String spec, String pod) {
    return "{apiVersion: apps/v1, kind: ReplicaSet, metadata: {" + entries(meta) + "name: " + name + "}, spec: {"
        + entries(spec) + "selector: {matchLabels: {app: " + name + "}}, " + template(name, pod, CLAIM) + "}}";
  }

  private static String appsWorkload(String kind, String name, String spec, String pod, String claim) {
    return "{apiVersion: apps/v1, kind: " + kind + ", metadata: {name: " + name + "}, spec: {" + entries(spec)
        + "selector: {matchLabels: {app: " + name + "}}, " + template(name, pod, claim) + "}}";
  }

  static String job(String name, String meta, String spec) {
    return "{apiVersion: batch/v1, kind: Job, metadata: {" + entries(meta) + "name: " + name + "}, spec: {"
        + entries(spec) + template(name, "restartPolicy: Never", CLAIM) + "}}";
  }

  /** A Job as a cluster returns it, with a status (a manifest's status is dropped before it gets here). */
  static String job(String name, String meta, String spec, String status) {
    String job = job(name, meta, spec);
    return job.substring(0, job.length() - 1) + ", status: {" + status + "}}";
  }

  static String cronJob(String name, String spec, String jobSpec) {
    return "{apiVersion: batch/v1, kind: CronJob, metadata: {name: " + name + "}, spec: {" + entries(spec)
        + "schedule: '*/5 * * * *', jobTemplate: {spec: {" + entries(jobSpec)
        + template(name, "restartPolicy: Never", CLAIM) + "}}}}";
  }

  static String hpa(String name, String kind, String target, int max) {
    return "{apiVersion: autoscaling/v2, kind: HorizontalPodAutoscaler, metadata: {name: " + name + "}, spec: {"
        + "scaleTargetRef: {apiVersion: apps/v1, kind: " + kind + ", name: " + target + "}, minReplicas: 1,"
        + " maxReplicas: " + max + "}}";
  }

  /** A Pod that mounts the claim; {@code meta} holds extra metadata entries (labels, ownerReferences). */
  static String pod(String name, String meta, String spec, String status) {
    return "{apiVersion: v1, kind: Pod, metadata: {" + entries(meta) + "name: " + name + "}, spec: {" + entries(spec)
        + "containers: [{name: app, image: example/app}], "
        + "volumes: [{name: db, persistentVolumeClaim: {claimName: " + CLAIM + "}}]}"
        + (status == null ? "" : ", status: {" + status + "}") + "}";
  }

  /** A running Pod on a node. */
  static String runningPod(String name, String meta, String node) {
    return pod(name, meta, "nodeName: " + node, "phase: Running, startTime: '2025-01-01T00:00:00Z'");
  }

  static String ownedBy(String kind, String name) {
    return "ownerReferences: [{apiVersion: apps/v1, kind: " + kind + ", name: " + name + ", uid: u-" + name
        + ", controller: true}]";
  }

  static String labels(String app) {
    return "labels: {app: " + app + "}";
  }

  static String claim(String name, String... accessModes) {
    return "{apiVersion: v1, kind: PersistentVolumeClaim, metadata: {name: " + name + "}, spec: {accessModes: ["
        + String.join(", ", accessModes) + "], resources: {requests: {storage: 1Gi}}}}";
  }

  /** A hostname nodeSelector. */
  static String onHost(String node) {
    return "nodeSelector: {kubernetes.io/hostname: " + node + "}";
  }

  /** A required node affinity; each term is a comma-separated list of hostnames for one {@code In} requirement. */
  static String requiredHosts(String... terms) {
    return "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: ["
        + Arrays.stream(terms).map(t -> "{matchExpressions: [" + hostIn(t) + "]}").collect(Collectors.joining(", "))
        + "]}}}";
  }

  static String hostIn(String hosts) {
    return "{key: kubernetes.io/hostname, operator: In, values: [" + hosts + "]}";
  }

  static String requiredTerms(String... terms) {
    return "affinity: {nodeAffinity: {requiredDuringSchedulingIgnoredDuringExecution: {nodeSelectorTerms: ["
        + String.join(", ", terms) + "]}}}";
  }

  static String podAffinity(String app, String topologyKey) {
    return "affinity: {podAffinity: {requiredDuringSchedulingIgnoredDuringExecution: [{labelSelector: {matchLabels:"
        + " {app: " + app + "}}, topologyKey: " + topologyKey + "}]}}";
  }

  static List<String> refs(Placement placement) {
    return placement.openerRefs();
  }
}
