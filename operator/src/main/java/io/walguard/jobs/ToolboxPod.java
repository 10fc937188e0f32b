package io.walguard.jobs;

import io.fabric8.kubernetes.api.model.Affinity;
import io.fabric8.kubernetes.api.model.AffinityBuilder;
import io.fabric8.kubernetes.api.model.PodSecurityContext;
import io.fabric8.kubernetes.api.model.PodSecurityContextBuilder;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.PodSpecBuilder;
import io.fabric8.kubernetes.api.model.PodTemplateSpec;
import io.fabric8.kubernetes.api.model.Quantity;
import io.fabric8.kubernetes.api.model.Toleration;
import io.walguard.api.SqliteDatabase;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * The pod that runs {@code walguard sqlite ...} next to a database: the same claim, on the openers' node, as the
 * openers' user, with a restricted security context and its result in the termination message.
 *
 * <p>It runs as the openers' user and group because the database, its {@code -wal} and {@code -shm} belong to them:
 * a checkpoint as anyone else fails with "attempt to write a readonly database". It copies their tolerations so
 * it can land on their node.
 */
public final class ToolboxPod {

  /** Where the claim is mounted inside toolbox pods. */
  public static final String MOUNT = "/var/lib/walguard/db";
  /** The field of a Node that holds the name pods carry in {@code spec.nodeName}. */
  static final String NODE_NAME_FIELD = "metadata.name";
  /** The jar inside the walguard image. */
  public static final String JAR = "/opt/walguard/walguard.jar";

  private ToolboxPod() {}

  /** What the toolbox pod borrows from the pods that open the database. */
  public record OpenerContext(String node, Long runAsUser, Long runAsGroup, Long fsGroup,
      List<Toleration> tolerations) {

    public static OpenerContext on(String node) {
      return new OpenerContext(node, null, null, null, List.of());
    }
  }

  public static Map<String, String> labels(SqliteDatabase database, String component) {
    Map<String, String> labels = new LinkedHashMap<>();
    labels.put("app.kubernetes.io/name", "walguard");
    labels.put("app.kubernetes.io/component", component);
    labels.put("app.kubernetes.io/managed-by", "walguard");
    labels.put("walguard.io/database", database.getMetadata().getName());
    return labels;
  }

  /** The path of the database file inside the toolbox pod. */
  public static String databasePath(SqliteDatabase database) {
    return MOUNT + "/" + database.getSpec().getFile();
  }

  static PodTemplateSpec template(SqliteDatabase database, String component, String image, List<String> jvmFlags,
      List<String> walguardArgs, OpenerContext opener) {
    List<String> args = new ArrayList<>(jvmFlags);
    args.add("-jar");
    args.add(JAR);
    args.addAll(walguardArgs);
    PodSpec spec = new PodSpecBuilder()
        .withRestartPolicy("Never")
        .withAutomountServiceAccountToken(false)
        .withAffinity(affinity(opener.node()))
        .withTolerations(opener.tolerations())
        .withSecurityContext(securityContext(opener))
        .addNewContainer()
          .withName("walguard")
          .withImage(image)
          .withCommand("java")
          .withArgs(args)
          .withTerminationMessagePath("/dev/termination-log")
          .withTerminationMessagePolicy("File")
          .withNewSecurityContext()
            .withAllowPrivilegeEscalation(false)
            .withReadOnlyRootFilesystem(true)
            .withNewCapabilities().withDrop("ALL").endCapabilities()
          .endSecurityContext()
          .withNewResources()
            .addToRequests("cpu", new Quantity("50m"))
            .addToRequests("memory", new Quantity("64Mi"))
            .addToLimits("memory", new Quantity("256Mi"))
          .endResources()
          .addNewVolumeMount().withName("database").withMountPath(MOUNT).endVolumeMount()
          .addNewVolumeMount().withName("tmp").withMountPath("/tmp").endVolumeMount()
        .endContainer()
        .addNewVolume().withName("database")
          .withNewPersistentVolumeClaim().withClaimName(database.getSpec().getClaimName()).endPersistentVolumeClaim()
        .endVolume()
        .addNewVolume().withName("tmp").withNewEmptyDir().withSizeLimit(new Quantity("64Mi")).endEmptyDir().endVolume()
        .build();
    return new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder()
        .withNewMetadata().withLabels(labels(database, component)).endMetadata()
        .withSpec(spec)
        .build();
  }

  /**
   * A toolbox pod on another node than the openers would itself be an unsafe opener: pin it to theirs. The node is
   * the name walguard observed in the openers' {@code spec.nodeName} (or {@code spec.node}), so the term matches the
   * Node's {@code metadata.name}; the {@code kubernetes.io/hostname} label usually carries the same value, but not on
   * every cluster (some set it to the short host name or the cloud instance's name), and a pod pinned by a label no
   * node has stays Pending.
   */
  static Affinity affinity(String node) {
    if (node == null || node.isEmpty()) {
      return null;
    }
    return new AffinityBuilder().withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
        .addNewNodeSelectorTerm().addNewMatchField().withKey(NODE_NAME_FIELD).withOperator("In")
        .withValues(node).endMatchField().endNodeSelectorTerm()
        .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity().build();
  }

  /** The node a toolbox pod spec is pinned to, as {@link #affinity} wrote it. */
  public static Optional<String> node(PodSpec spec) {
    return Optional.ofNullable(spec.getAffinity()).map(Affinity::getNodeAffinity)
        .map(a -> a.getRequiredDuringSchedulingIgnoredDuringExecution())
        .flatMap(r -> r.getNodeSelectorTerms().stream().flatMap(t -> t.getMatchFields().stream())
            .filter(f -> NODE_NAME_FIELD.equals(f.getKey()) && "In".equals(f.getOperator()))
            .flatMap(f -> f.getValues().stream()).findFirst());
  }

  private static PodSecurityContext securityContext(OpenerContext opener) {
    return new PodSecurityContextBuilder()
        .withRunAsNonRoot(opener.runAsUser() == null || opener.runAsUser() != 0 ? Boolean.TRUE : null)
        .withRunAsUser(opener.runAsUser() != null ? opener.runAsUser() : Long.valueOf(65532))
        .withRunAsGroup(opener.runAsGroup())
        .withFsGroup(opener.fsGroup())
        .withNewSeccompProfile().withType("RuntimeDefault").endSeccompProfile()
        .build();
  }
}
