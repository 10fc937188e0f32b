package io.walguard.reconcile;

import static org.assertj.core.api.Assertions.assertThat;

import io.fabric8.kubernetes.api.model.NodeSelectorRequirement;
import io.fabric8.kubernetes.api.model.NodeSelectorTerm;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.walguard.api.SqliteDatabase;
import io.walguard.core.Annotations;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The pin remedy against the mock API server: what walguard writes to workloads and to status. */
class PinRemedyTest extends OperatorTestSupport {

  static final Instant T0 = Instant.parse("2025-01-01T10:00:00Z");

  static List<NodeSelectorTerm> terms(Deployment d) {
    var affinity = d.getSpec().getTemplate().getSpec().getAffinity();
    if (affinity == null || affinity.getNodeAffinity() == null
        || affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution() == null) {
      return List.of();
    }
    return affinity.getNodeAffinity().getRequiredDuringSchedulingIgnoredDuringExecution().getNodeSelectorTerms();
  }

  static long hostnameExpressions(Deployment d, String node) {
    return terms(d).stream().flatMap(t -> t.getMatchExpressions().stream())
        .filter(e -> PinPatch.HOSTNAME.equals(e.getKey()) && "In".equals(e.getOperator())
            && List.of(node).equals(e.getValues()))
        .count();
  }

  /** Two replicas of a Deployment on EFS, running on node-a (older) and node-b. */
  Deployment efsDeploymentOnTwoNodes() {
    return fx.efsDeploymentOnTwoNodes(NS, T0);
  }

  /** What a scheduler does after the pin: the old pods go, the new ReplicaSet's pods run on the pinned node. */
  void reschedule(String node, String... oldPods) {
    for (String pod : oldPods) {
      user.pods().inNamespace(NS).withName(pod).delete();
    }
    Deployment pinned = deployment("app");
    fx.runPod(pinned, "app-3", node, T0.plusSeconds(600));
    fx.runPod(pinned, "app-4", node, T0.plusSeconds(601));
  }

  @Test
  void efsDatabaseWithTwoReplicasIsPinnedAndConvergesOncePodsAreRescheduled() {
    efsDeploymentOnTwoNodes();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      Deployment d = deployment("app");
      assertThat(hostnameExpressions(d, "node-a")).isEqualTo(1);
      assertThat(d.getMetadata().getAnnotations()).containsEntry(Annotations.PINNED_NODE, "node-a");
      var placement = condition("app", StatusComposer.PLACEMENT).orElseThrow();
      assertThat(placement.getStatus()).isEqualTo("False");
      assertThat(placement.getReason()).isEqualTo("OpenersOnSeveralNodes");
      assertThat(placement.getMessage()).contains("app-1 on node-a", "app-2 on node-b");
      assertThat(status("app").getNodes()).containsExactly("node-a", "node-b");
      assertThat(status("app").getPinnedNode()).isEqualTo("node-a");
      assertThat(status("app").getAction()).isEqualTo("pin");
      assertThat(eventReasons("Deployment", "app")).contains("Pinned");
      assertThat(eventReasons("SqliteDatabase", "app")).contains("Pinned", "VerdictChanged");
    });

    reschedule("node-a", "app-1", "app-2");

    eventually(() -> {
      var placement = condition("app", StatusComposer.PLACEMENT).orElseThrow();
      assertThat(placement.getStatus()).isEqualTo("True");
      assertThat(placement.getReason()).isEqualTo("Pinned");
      assertThat(status("app").getNodes()).containsExactly("node-a");
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      assertThat(status("app").getAction()).isEqualTo("pin");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True");
    });
    assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1);
  }

  @Test
  void openersTheSchedulerCannotPlaceOnThePinnedNodeMakeReadyFalseUntilSpecNodeMovesThePin() {
    efsDeploymentOnTwoNodes();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));
    reschedule("node-a", "app-1", "app-2");
    eventually(() -> assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True"));

    // node-a is gone (an upgrade replaced it): the pods come back from the pinned template and fit nowhere.
    String noFit = "0/2 nodes are available: 2 node(s) didn't match Pod's node affinity/selector.";
    user.pods().inNamespace(NS).withName("app-3").delete();
    user.pods().inNamespace(NS).withName("app-4").delete();
    fx.unschedulablePod(deployment("app"), "app-5", noFit);
    fx.unschedulablePod(deployment("app"), "app-6", noFit);

    eventually(() -> {
      var placement = condition("app", StatusComposer.PLACEMENT).orElseThrow();
      assertThat(placement.getStatus()).isEqualTo("False");
      assertThat(placement.getReason()).isEqualTo("OpenersUnschedulable");
      assertThat(placement.getMessage()).contains("app-5 of Deployment/app", "app-6 of Deployment/app", noFit,
          "node node-a", "set spec.node");
      var ready = condition("app", StatusComposer.READY).orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("OpenersUnschedulable");
    });

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"node\":\"node-c\"}}");
    eventually(() -> {
      assertThat(hostnameExpressions(deployment("app"), "node-c")).isEqualTo(1);
      assertThat(hostnameExpressions(deployment("app"), "node-a")).isZero();
      assertThat(eventReasons("Deployment", "app")).contains("PinMoved");
    });

    user.pods().inNamespace(NS).withName("app-5").delete();
    user.pods().inNamespace(NS).withName("app-6").delete();
    fx.runPod(deployment("app"), "app-7", "node-c", T0.plusSeconds(900));
    eventually(() -> {
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("Pinned");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True");
    });
  }

  @Test
  void specNodeChoosesTheNodeAndMovesAnExistingPin() {
    efsDeploymentOnTwoNodes();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));

    user.resources(SqliteDatabase.class).inNamespace(NS).withName("app")
        .patch(PatchContext.of(PatchType.JSON_MERGE), "{\"spec\":{\"node\":\"node-b\"}}");

    eventually(() -> {
      Deployment d = deployment("app");
      assertThat(hostnameExpressions(d, "node-b")).isEqualTo(1);
      assertThat(hostnameExpressions(d, "node-a")).isZero();
      assertThat(d.getMetadata().getAnnotations()).containsEntry(Annotations.PINNED_NODE, "node-b");
      assertThat(status("app").getPinnedNode()).isEqualTo("node-b");
      assertThat(eventReasons("Deployment", "app")).contains("PinMoved");
    });
  }

  @Test
  void aTermTheUserEditsAwayComesBackWithAnEvent() {
    efsDeploymentOnTwoNodes();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));

    user.apps().deployments().inNamespace(NS).withName("app").patch(PatchContext.of(PatchType.JSON),
        "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/affinity\"}]");

    eventually(() -> {
      assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1);
      assertThat(eventReasons("Deployment", "app")).contains("PinRestored");
    });
  }

  @Test
  void aPinTakenOutAgainAndAgainIsReportedAsAGitOpsFightInsteadOfAnEventEachRound() {
    efsDeploymentOnTwoNodes();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));

    // A GitOps tool with self-heal sets the Deployment back to what Git holds, again and again.
    for (int round = 1; round <= PinReverts.LIMIT + 1; round++) {
      user.apps().deployments().inNamespace(NS).withName("app").patch(PatchContext.of(PatchType.JSON),
          "[{\"op\":\"remove\",\"path\":\"/spec/template/spec/affinity\"}]");
      eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));
    }

    eventually(() -> {
      var placement = condition("app", StatusComposer.PLACEMENT).orElseThrow();
      assertThat(placement.getStatus()).isEqualTo("False");
      assertThat(placement.getReason()).isEqualTo("PinReverted");
      assertThat(placement.getMessage()).contains("Deployment/app", "GitOps", "Argo CD", "ignoreDifferences",
          "/spec/template/spec/affinity", "kubernetes.io/hostname In [node-a]");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getReason()).isEqualTo("PinReverted");
      assertThat(eventReasons("Deployment", "app")).containsOnlyOnce("PinReverted");
    });
    assertThat(eventReasons("Deployment", "app").stream().filter("PinRestored"::equals))
        .as("one Event per round up to the limit, then none").hasSize(PinReverts.LIMIT - 1);
    assertThat(eventReasons("SqliteDatabase", "app")).containsOnlyOnce("PinReverted");
  }

  @Test
  void aConflictIsRetriedWithoutLosingTheUsersConcurrentEdit() {
    efsDeploymentOnTwoNodes();
    String path = "/apis/apps/v1/namespaces/" + NS + "/deployments/app";
    // The user edits the Deployment between walguard's read and walguard's write: a zone requirement of their own
    // and a new image. walguard's first patch then carries a stale resourceVersion and gets 409.
    String userEdit = """
        [{"op":"add","path":"/spec/template/spec/affinity","value":{"nodeAffinity":{
           "requiredDuringSchedulingIgnoredDuringExecution":{"nodeSelectorTerms":[
             {"matchExpressions":[{"key":"topology.kubernetes.io/zone","operator":"In","values":["zone-a"]}]}]}}}},
         {"op":"replace","path":"/spec/template/spec/containers/0/image","value":"example/app:2"}]""";
    cluster.once(r -> r.getMethod().equals("PATCH") && r.getPath().startsWith(path), r -> {
      cluster.direct("PATCH", path, "application/json-patch+json", userEdit);
      return null;
    });
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      Deployment d = deployment("app");
      assertThat(d.getSpec().getTemplate().getSpec().getContainers().get(0).getImage()).isEqualTo("example/app:2");
      List<NodeSelectorTerm> terms = terms(d);
      assertThat(terms).hasSize(1);
      assertThat(terms.get(0).getMatchExpressions()).extracting(NodeSelectorRequirement::getKey)
          .containsExactly("topology.kubernetes.io/zone", PinPatch.HOSTNAME);
    });
    long patches = cluster.calls().stream()
        .filter(c -> c.method().equals("PATCH") && c.path().startsWith(path)).count();
    assertThat(patches).as("walguard's stale patch, the user's edit went straight to the store, and the retry")
        .isGreaterThanOrEqualTo(2);
  }

  @Test
  void deletingTheDatabaseRestoresEveryWorkloadExactly() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment single = fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "single", "data", 1))
        .editMetadata().addToAnnotations("team", "shop").endMetadata()
        .editSpec()
            .withNewStrategy().withType("RollingUpdate").withNewRollingUpdate()
                .withNewMaxSurge("25%").withNewMaxUnavailable("25%").endRollingUpdate().endStrategy()
            .editTemplate().editSpec()
                .withNewAffinity()
                    .withNewNodeAffinity().withNewRequiredDuringSchedulingIgnoredDuringExecution()
                        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("topology.kubernetes.io/zone")
                            .withOperator("In").withValues("zone-a", "zone-b").endMatchExpression()
                        .endNodeSelectorTerm()
                        .addNewNodeSelectorTerm().addNewMatchExpression().withKey("pool").withOperator("Exists")
                            .endMatchExpression().endNodeSelectorTerm()
                    .endRequiredDuringSchedulingIgnoredDuringExecution().endNodeAffinity()
                    .withNewPodAntiAffinity().addNewPreferredDuringSchedulingIgnoredDuringExecution().withWeight(5)
                        .withNewPodAffinityTerm().withTopologyKey("kubernetes.io/hostname").withNewLabelSelector()
                            .addToMatchLabels("app", "single").endLabelSelector().endPodAffinityTerm()
                    .endPreferredDuringSchedulingIgnoredDuringExecution().endPodAntiAffinity()
                .endAffinity()
            .endSpec().endTemplate()
        .endSpec()
        .build());
    Deployment pair = fx.create(Fixtures.deployment(NS, "pair", "data", 2));
    fx.runPod(single, "single-1", "node-b", T0);
    fx.runPod(pair, "pair-1", "node-a", T0.plusSeconds(5));
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      Deployment s = deployment("single");
      assertThat(hostnameExpressions(s, "node-b")).as("one expression in each of the two ORed terms").isEqualTo(2);
      assertThat(s.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
      assertThat(s.getSpec().getStrategy().getRollingUpdate().getMaxUnavailable().getIntVal()).isEqualTo(1);
      assertThat(hostnameExpressions(deployment("pair"), "node-b")).isEqualTo(1);
      assertThat(eventReasons("Deployment", "single")).contains("Pinned", "MaxSurgeZero");
    });

    user.resource(db("app")).delete();

    eventually(() -> {
      assertThat(db("app")).isNull();
      assertThat(eventReasons("Deployment", "single")).contains("Unpinned");
    });
    for (Deployment original : List.of(single, pair)) {
      Deployment now = deployment(original.getMetadata().getName());
      assertThat(now.getSpec()).isEqualTo(original.getSpec());
      assertThat(now.getMetadata().getAnnotations()).isEqualTo(original.getMetadata().getAnnotations());
      assertThat(now.getMetadata().getLabels()).isEqualTo(original.getMetadata().getLabels());
    }
  }

  @Test
  void kubectlsLastAppliedAnnotationSurvivesThePinAndItsRemovalOnEveryKind() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    String lastApplied = "{\"apiVersion\":\"v1\",\"kind\":\"applied-by-kubectl\"}";
    Deployment d = fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "app", "data", 1))
        .editMetadata().addToAnnotations(CachePruner.LAST_APPLIED, lastApplied).addToAnnotations("team", "shop")
        .endMetadata().build());
    var sts = user.resource(new io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder()
        .withNewMetadata().withNamespace(NS).withName("kv").addToAnnotations(CachePruner.LAST_APPLIED, lastApplied)
        .endMetadata()
        .withNewSpec().withReplicas(2).withServiceName("kv")
            .withNewSelector().addToMatchLabels("app", "kv").endSelector()
            .withTemplate(Fixtures.template("kv", "data"))
        .endSpec().build()).create();
    var cron = user.resource(new io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder()
        .withNewMetadata().withNamespace(NS).withName("report").addToAnnotations(CachePruner.LAST_APPLIED, lastApplied)
        .endMetadata()
        .withNewSpec().withSchedule("0 * * * *").withNewJobTemplate().withNewSpec()
            .withTemplate(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(Fixtures.template("report", "data"))
                .editSpec().withRestartPolicy("Never").endSpec().build())
        .endSpec().endJobTemplate().endSpec().build()).create();
    fx.runPod(d, "app-1", "node-a", T0);
    List<io.fabric8.kubernetes.api.model.HasMetadata> originals = List.of(d, sts, cron);
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      for (var original : originals) {
        var now = user.resource(original).get();
        assertThat(now.getMetadata().getAnnotations()).as(Workloads.ref(original))
            .containsEntry(Annotations.PINNED_NODE, "node-a")
            .containsEntry(CachePruner.LAST_APPLIED, lastApplied);
      }
      assertThat(deployment("app").getMetadata().getAnnotations()).containsEntry("team", "shop");
    });

    user.resource(db("app")).delete();

    eventually(() -> assertThat(db("app")).isNull());
    for (var original : originals) {
      var now = user.resource(original).get();
      assertThat(now.getMetadata().getAnnotations()).as(Workloads.ref(original))
          .isEqualTo(original.getMetadata().getAnnotations());
    }
    assertThat(deployment("app").getSpec()).isEqualTo(d.getSpec());
    assertThat(user.apps().statefulSets().inNamespace(NS).withName("kv").get().getSpec()).isEqualTo(sts.getSpec());
    assertThat(user.batch().v1().cronjobs().inNamespace(NS).withName("report").get().getSpec())
        .isEqualTo(cron.getSpec());
  }

  @Test
  void anOperatorRestartedMidwayConvergesToTheSameState() {
    efsDeploymentOnTwoNodes();
    WalguardOperator first = startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));
    eventually(() -> assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1));
    first.stop();

    reschedule("node-a", "app-1", "app-2");
    startOperator();

    eventually(() -> {
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("Pinned");
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      assertThat(status("app").getPinnedNode()).isEqualTo("node-a");
    });
    Deployment d = deployment("app");
    assertThat(terms(d)).hasSize(1);
    assertThat(hostnameExpressions(d, "node-a")).isEqualTo(1);
    assertThat(eventReasons("Deployment", "app").stream().filter("Pinned"::equals)).hasSize(1);
  }

  @Test
  void aSingleReplicaRollingUpdateIsMadeNonOverlapping() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment d = fx.create(Fixtures.deployment(NS, "solo", "data", 1));
    fx.runPod(d, "solo-1", "node-c", T0);
    startOperator();
    fx.create(Fixtures.database(NS, "solo", "data"));

    eventually(() -> {
      Deployment live = deployment("solo");
      assertThat(hostnameExpressions(live, "node-c")).isEqualTo(1);
      assertThat(live.getSpec().getStrategy().getRollingUpdate().getMaxSurge().getIntVal()).isZero();
      assertThat(live.getMetadata().getAnnotations()).containsKey(PinAnnotations.ROLLOUT_BEFORE_PIN);
      assertThat(events("Deployment", "solo")).anySatisfy(e -> {
        assertThat(e.getReason()).isEqualTo("MaxSurgeZero");
        assertThat(e.getMessage()).contains("maxSurge 0", "maxUnavailable 1");
      });
    });
  }

  @Test
  void aRefusedPatchShowsInStatusAndEvents() {
    efsDeploymentOnTwoNodes();
    cluster.always(r -> r.getMethod().equals("PATCH") && r.getPath().startsWith(
        "/apis/apps/v1/namespaces/" + NS + "/deployments/app"),
        r -> MockCluster.status(403, "Forbidden", "deployments.apps \\\"app\\\" is forbidden: User cannot patch"));
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      var ready = condition("app", StatusComposer.READY).orElseThrow();
      assertThat(ready.getStatus()).isEqualTo("False");
      assertThat(ready.getReason()).isEqualTo("PinFailed");
      assertThat(ready.getMessage()).contains("HTTP 403", "grant the operator's ServiceAccount patch on deployments");
      assertThat(condition("app", StatusComposer.PLACEMENT).orElseThrow().getReason()).isEqualTo("PinFailed");
      assertThat(eventReasons("SqliteDatabase", "app")).contains("PinFailed");
    });
    assertThat(deployment("app").getSpec().getTemplate().getSpec().getAffinity()).isNull();
  }

  @Test
  void aBarePodOnAnotherNodeIsReported() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment d = fx.create(Fixtures.deployment(NS, "app", "data", 1));
    fx.runPod(d, "app-1", "node-a", T0);
    user.resource(new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withNamespace(NS).withName("debug").endMetadata()
        .withSpec(Fixtures.template("debug", "data").getSpec())
        .editSpec().withNodeName("node-b").endSpec()
        .withNewStatus().withPhase("Running").withStartTime(T0.plusSeconds(30).toString()).endStatus()
        .build()).create();
    startOperator();
    SqliteDatabase db = Fixtures.database(NS, "app", "data");
    db.getSpec().setNode("node-a");
    fx.create(db);

    eventually(() -> {
      assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1);
      assertThat(status("app").getReasons()).anySatisfy(r -> assertThat(r).contains("Pod/debug is a bare Pod",
          "node-b"));
      assertThat(eventReasons("SqliteDatabase", "app")).contains("NotPinnable");
    });
    assertThat(user.pods().inNamespace(NS).withName("debug").get().getSpec().getNodeName()).isEqualTo("node-b");
  }

  /** A Job on the claim data, created as a cluster holds it: with the status its controller wrote. */
  io.fabric8.kubernetes.api.model.batch.v1.Job job(String name, io.fabric8.kubernetes.api.model.batch.v1.JobStatus status) {
    var job = user.resource(new io.fabric8.kubernetes.api.model.batch.v1.JobBuilder()
        .withNewMetadata().withNamespace(NS).withName(name).endMetadata()
        .withNewSpec().withTemplate(new io.fabric8.kubernetes.api.model.PodTemplateSpecBuilder(
            Fixtures.template(name, "data")).editSpec().withRestartPolicy("Never").endSpec().build())
        .endSpec().build()).create();
    job.setStatus(status);
    return user.resource(job).updateStatus();
  }

  Deployment recreateDeploymentOnNodeA() {
    fx.efsClass();
    fx.efsClaim(NS, "data");
    Deployment d = fx.create(new DeploymentBuilder(Fixtures.deployment(NS, "app", "data", 1))
        .editSpec().withNewStrategy().withType("Recreate").endStrategy().endSpec().build());
    fx.runPod(d, "app-1", "node-a", T0);
    return d;
  }

  long jobPatches() {
    return cluster.calls().stream().filter(c -> OPERATOR_AGENT.equals(c.agent()) && c.method().equals("PATCH")
        && c.path().contains("/jobs/")).count();
  }

  @Test
  void aFinishedJobOpensNothingAndIsLeftAlone() {
    recreateDeploymentOnNodeA();
    job("migrate", new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withSucceeded(1)
        .withCompletionTime(T0.minusSeconds(60).toString())
        .addNewCondition().withType("Complete").withStatus("True").endCondition().build());
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      assertThat(status("app").getVerdict()).isEqualTo("safe");
      assertThat(status("app").getAction()).isEqualTo("none");
      assertThat(status("app").getReasons()).anySatisfy(r -> assertThat(r).contains("Job/migrate: finished"));
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("True");
    });
    assertThat(jobPatches()).isZero();
    assertThat(deployment("app").getSpec().getTemplate().getSpec().getAffinity()).isNull();
  }

  @Test
  void aRunningJobIsNeverPatchedButReportedNotPinnable() {
    recreateDeploymentOnNodeA();
    var job = job("migrate", new io.fabric8.kubernetes.api.model.batch.v1.JobStatusBuilder().withActive(1).build());
    user.resource(new io.fabric8.kubernetes.api.model.PodBuilder()
        .withNewMetadata().withNamespace(NS).withName("migrate-x1").withLabels(Map.of("app", "migrate"))
            .addNewOwnerReference().withApiVersion("batch/v1").withKind("Job").withName("migrate")
                .withUid(job.getMetadata().getUid()).withController(true).endOwnerReference()
        .endMetadata()
        .withSpec(job.getSpec().getTemplate().getSpec())
        .editSpec().withNodeName("node-b").endSpec()
        .withNewStatus().withPhase("Running").withStartTime(T0.plusSeconds(30).toString()).endStatus()
        .build()).create();
    startOperator();
    fx.create(Fixtures.database(NS, "app", "data"));

    eventually(() -> {
      assertThat(hostnameExpressions(deployment("app"), "node-a")).isEqualTo(1);
      assertThat(status("app").getReasons()).anySatisfy(r -> assertThat(r).contains("Job/migrate is a Job",
          "refuses any change to a Job's pod template", "migrate-x1 on node-b"));
      assertThat(eventReasons("SqliteDatabase", "app")).contains("NotPinnable").doesNotContain("PinFailed");
      assertThat(condition("app", StatusComposer.READY).orElseThrow().getStatus()).isEqualTo("False");
    });
    assertThat(jobPatches()).isZero();
    assertThat(user.batch().v1().jobs().inNamespace(NS).withName("migrate").get().getSpec().getTemplate().getSpec()
        .getAffinity()).isNull();
  }

  @Test
  void aMissingClaimIsReportedInStatusAndEvents() {
    startOperator();
    fx.create(Fixtures.database(NS, "app", "nope"));

    eventually(() -> {
      var ready = condition("app", StatusComposer.READY).orElseThrow();
      assertThat(ready.getReason()).isEqualTo("ClaimNotFound");
      assertThat(ready.getMessage()).contains("PersistentVolumeClaim shop/nope does not exist");
      assertThat(eventReasons("SqliteDatabase", "app")).contains("ClaimNotFound");
    });
  }

  static Map<String, String> annotations(Pod pod) {
    return pod.getMetadata().getAnnotations();
  }
}
