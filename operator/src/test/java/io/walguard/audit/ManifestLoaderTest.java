package io.walguard.audit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v2.HorizontalPodAutoscaler;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.walguard.api.SqliteDatabase;
import io.walguard.compose.ComposeProject;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ManifestLoaderTest {

  @TempDir Path dir;
  final List<String> notes = new ArrayList<>();

  Manifests load(String namespace, Path... paths) throws BadInputException {
    return new ManifestLoader(namespace, notes::add).load(List.of(paths));
  }

  Path write(String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content);
    return file;
  }

  static final String PVC = """
      apiVersion: v1
      kind: PersistentVolumeClaim
      metadata: {name: data, namespace: apps}
      spec: {accessModes: [ReadWriteOnce], storageClassName: efs-sc}
      """;

  static final String DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: web}
      spec:
        replicas: 2
        selector: {matchLabels: {app: web}}
        template:
          metadata: {labels: {app: web}}
          spec:
            containers: [{name: web, image: nginx}]
            volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
      """;

  static final String DATABASE = """
      apiVersion: walguard.io/v1alpha1
      kind: SqliteDatabase
      metadata: {name: web, namespace: apps}
      spec: {claimName: data, file: app.db, remedy: journal}
      """;

  @Test
  void multiDocumentYamlGivesEveryObjectAsItsConcreteClass() throws Exception {
    Path file = write("all.yaml", "---\n" + PVC + "---\n" + DEPLOYMENT + "---\n" + DATABASE + "---\n");

    Manifests manifests = load("default", file);

    assertThat(manifests.facts().claim("apps", "data")).get().isInstanceOf(PersistentVolumeClaim.class);
    assertThat(manifests.facts().workloads("default")).singleElement().isInstanceOf(Deployment.class);
    assertThat(manifests.facts().databases()).singleElement()
        .satisfies(db -> assertThat(db.getSpec().getRemedy().name()).isEqualTo("journal"));
    assertThat(notes).isEmpty();
  }

  @Test
  void objectsWithoutANamespaceAreInTheGivenNamespaceAndClusterObjectsInNone() throws Exception {
    Path file = write("all.yaml", DEPLOYMENT + """
        ---
        apiVersion: storage.k8s.io/v1
        kind: StorageClass
        metadata: {name: efs-sc}
        provisioner: efs.csi.aws.com
        """);

    Manifests manifests = load("team-a", file);

    HasMetadata deployment = manifests.facts().workloads("team-a").iterator().next();
    assertThat(deployment.getMetadata().getNamespace()).isEqualTo("team-a");
    assertThat(manifests.facts().storageClass("efs-sc")).get()
        .satisfies(sc -> assertThat(sc.getMetadata().getNamespace()).isNull());
  }

  @Test
  void listKindsAreFlattenedAndTypedListItemsTakeTheirKindFromTheList() throws Exception {
    Path file = write("lists.yaml", """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: apps/v1
          kind: Deployment
          metadata: {name: a}
        - apiVersion: apps/v1
          kind: StatefulSet
          metadata: {name: b}
        ---
        apiVersion: v1
        kind: PersistentVolumeClaimList
        items:
        - metadata: {name: c, namespace: x}
          spec: {storageClassName: local-path}
        """);

    Manifests manifests = load("default", file);

    assertThat(manifests.facts().workloads("default")).extracting(HasMetadata::getKind)
        .containsExactlyInAnyOrder("Deployment", "StatefulSet");
    assertThat(manifests.facts().workloads("default")).anyMatch(StatefulSet.class::isInstance);
    assertThat(manifests.facts().claim("x", "c")).get()
        .satisfies(c -> assertThat(c.getSpec().getStorageClassName()).isEqualTo("local-path"));
  }

  @Test
  void jsonFilesAreReadAsASingleValueOrAStreamOfValues() throws Exception {
    Path single = write("one.json", """
        {
        \t"apiVersion": "v1",
        \t"kind": "PersistentVolumeClaim",
        \t"metadata": {"name": "one"}
        }
        """);
    Path stream = write("stream.json", """
        {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "two"}}
        {"apiVersion": "v1", "kind": "List", "items": [
          {"apiVersion": "v1", "kind": "PersistentVolumeClaim", "metadata": {"name": "three"}}]}
        """);

    Manifests manifests = load("default", single, stream);

    assertThat(manifests.facts().claims()).extracting(c -> c.getMetadata().getName())
        .containsExactly("one", "two", "three");
    assertThat(manifests.originOf(manifests.facts().claim("default", "two").get()).line()).isEqualTo(1);
  }

  @Test
  void documentsThatAreNotKubernetesObjectsAreSkippedWithANote() throws Exception {
    Path values = write("chart/values.yaml", "replicaCount: 1\nimage: {repository: grafana/grafana}\n");
    Path kustomization = write("kustomize/kustomization.yaml", """
        apiVersion: kustomize.config.k8s.io/v1beta1
        kind: Kustomization
        resources: [deployment.yaml]
        """);
    Path scalar = write("scalar.yaml", "just a string\n---\n- a\n- list\n");

    Manifests manifests = load("default", values, kustomization, scalar);

    assertThat(manifests.facts().claims()).isEmpty();
    assertThat(notes).hasSize(4);
    assertThat(notes.get(0)).contains("values.yaml, line 1").contains("not a Kubernetes object").contains("skipped");
    assertThat(notes.get(1)).contains("kustomization.yaml").contains("kustomize").contains("kubectl kustomize");
    assertThat(notes.get(2)).contains("scalar.yaml, line 1");
    assertThat(notes.get(3)).contains("scalar.yaml, line 3");
  }

  /** Neither half, or one half without metadata, is some other YAML: skipped, with the note saying what it lacks. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a Helm Chart.yaml                       | Chart.yaml  | {apiVersion: v2, name: app, version: 0.1.0} | no kind
      a values.yaml with a kind setting       | values.yaml | {kind: DaemonSet, image: {tag: '1.0'}}       | no apiVersion
      a values.yaml                           | values.yaml | {replicaCount: 1}                           | \
      no apiVersion and no kind
      """)
  void aDocumentWithoutApiVersionOrKindIsSkippedWithANoteSayingWhich(String why, String name, String yaml,
      String missing) throws Exception {
    Path file = write("chart/" + name, yaml + "\n");

    load("default", file);

    assertThat(notes).containsExactly(file + ", line 1: not a Kubernetes object (" + missing + "), skipped");
  }

  @Test
  void directoriesAreSearchedRecursivelyInSortedOrderForManifestsAndComposeProjects() throws Exception {
    write("b/deploy.yml", DEPLOYMENT);
    write("a/claim.yaml", PVC);
    write("a/nested/db.json", """
        {"apiVersion": "walguard.io/v1alpha1", "kind": "SqliteDatabase",
         "metadata": {"name": "web", "namespace": "apps"}, "spec": {"claimName": "data", "file": "app.db"}}
        """);
    write("a/README.md", "# not a manifest: {{{");
    write("a/notes.txt", ": not yaml : [");
    write(".git/config.yaml", "{{ broken");
    write("c/.hidden.yaml", "{{ broken");
    write("compose/compose.yaml", "services: {}\n");
    write("compose/docker-compose.yml", "services: {}\n");
    write("compose/compose.override.yaml", "services: {}\n");

    Manifests manifests = load("default", dir);

    assertThat(manifests.facts().claims()).hasSize(1);
    assertThat(manifests.facts().databases()).hasSize(1);
    assertThat(manifests.facts().allWorkloads()).hasSize(1);
    // A directory with a Compose file is one Compose project, read with its override file as docker compose reads it.
    assertThat(manifests.composeProjects()).containsExactly(ComposeProject.of(dir.resolve("compose")));
    assertThat(notes).isEmpty();
  }

  @Test
  void aComposeFileNamedDirectlyGoesToTheComposeAudit() throws Exception {
    Path compose = write("docker-compose.yaml", "services: {}\n");

    assertThat(load("default", compose).composeProjects()).containsExactly(ComposeProject.of(compose));
  }

  static final String COMPOSE = """
      services:
        app: {image: app, volumes: [db:/data]}
      volumes:
        db: {labels: {walguard.io/sqlite: "true"}}
      """;

  @ParameterizedTest
  @ValueSource(strings = {"stack.yml", "docker-stack.yaml", "docker-compose.prod.yml", "compose.prod.yaml",
      "app.yaml", "deploy.txt"})
  void aFileNamedDirectlyIsAComposeFileByNameOrByContent(String name) throws Exception {
    Path file = write(name, COMPOSE);

    Manifests manifests = load("default", file);

    assertThat(manifests.composeProjects()).containsExactly(ComposeProject.of(file));
    assertThat(manifests.readsKubernetes()).isFalse();
    assertThat(notes).isEmpty();
  }

  @Test
  void aFileWithServicesThatAreNotServiceDefinitionsIsNotACompose() throws Exception {
    Path file = write("values.yaml", "services:\n  enabled: true\n  port: 80\n");

    Manifests manifests = load("default", file);

    assertThat(manifests.composeProjects()).isEmpty();
    assertThat(notes).singleElement().asString().contains("not a Kubernetes object");
  }

  @Test
  void aComposeDocumentAmongKubernetesObjectsIsSkippedWithANoteThatSaysSo() throws Exception {
    Path file = write("mixed.yaml", PVC + "---\n" + COMPOSE);

    Manifests manifests = load("default", file);

    assertThat(manifests.facts().claims()).hasSize(1);
    assertThat(manifests.composeProjects()).isEmpty();
    assertThat(notes).singleElement().asString().contains("line 6: not a Kubernetes object")
        .contains("it looks like a Compose file (services:) in a file that holds more than Compose");
  }

  @Test
  void composeFilesNamedTogetherAreOneProjectInTheirOrder() throws Exception {
    Path base = write("docker-compose.yml", COMPOSE);
    Path prod = write("docker-compose.prod.yml", "services:\n  app: {deploy: {replicas: 2}}\n");
    Path claim = write("claim.yaml", PVC);

    Manifests manifests = load("default", base, claim, prod);

    assertThat(manifests.composeProjects()).containsExactly(new ComposeProject(List.of(base, prod), Map.of()));
    assertThat(manifests.facts().claims()).hasSize(1);
  }

  @Test
  void aComposeFileThatTheManifestReaderRefusesIsReadAsCompose() throws Exception {
    Path file = write("override.yml", "services:\n  app:\n    volumes: !reset []\n");

    assertThat(load("default", file).composeProjects()).containsExactly(ComposeProject.of(file));
  }

  @Test
  void aFileThatIsNeitherIsStillBadInput() throws Exception {
    Path file = write("broken.yml", "services:\n  app: {image: [}\n");

    assertThatThrownBy(() -> load("default", file)).isInstanceOf(BadInputException.class)
        .hasMessageStartingWith(file.toString());
  }

  @Test
  void aDashReadsAComposeFileFromStandardInput() throws Exception {
    var stdin = new java.io.ByteArrayInputStream(COMPOSE.getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Manifests manifests = new ManifestLoader("default", notes::add, stdin).load(List.of(ManifestLoader.STDIN));

    assertThat(manifests.composeProjects()).containsExactly(
        new ComposeProject(List.of(Path.of("<stdin>")), Map.of(Path.of("<stdin>"), COMPOSE)));
    assertThat(notes).isEmpty();
  }

  @ParameterizedTest
  @ValueSource(strings = {"compose.yaml", "docker-compose.yml", "stack.yml"})
  void kubernetesObjectsSavedUnderAComposeNameAreReadAsManifestsWithANote(String name) throws Exception {
    Path file = write("named/" + name, PVC);
    write("walked/" + name, PVC);

    Manifests named = load("default", file);
    Manifests walked = load("default", dir.resolve("walked"));

    for (Manifests manifests : List.of(named, walked)) {
      assertThat(manifests.composeProjects()).isEmpty();
      assertThat(manifests.facts().claims()).hasSize(1);
    }
    assertThat(notes).hasSize(2).allSatisfy(note -> assertThat(note)
        .endsWith(name + ": holds Kubernetes objects (apiVersion and kind), not a Compose file: read as Kubernetes"
            + " manifests"));
  }

  @Test
  void aDirectoryWalkReadsStackFilesAsProjectsAndSetsOtherComposeContentAside() throws Exception {
    write("app/docker-compose.yml", COMPOSE);
    write("app/docker-compose.override.yml", "services:\n  app: {deploy: {replicas: 2}}\n");
    write("app/docker-stack.yml", COMPOSE);
    write("app/docker-compose.prod.yml", "services:\n  app:\n    volumes: !reset []\n");
    write("app/common.yml", COMPOSE);
    write("app/values.yaml", "replicas: 2\n");

    Manifests manifests = load("default", dir);

    assertThat(manifests.composeProjects()).containsExactly(ComposeProject.of(dir.resolve("app")),
        ComposeProject.of(dir.resolve("app/docker-stack.yml")));
    assertThat(manifests.composeLikeFiles()).containsExactly(dir.resolve("app/common.yml"),
        dir.resolve("app/docker-compose.prod.yml"));
    assertThat(notes).singleElement().asString().contains("values.yaml").contains("not a Kubernetes object");
  }

  @Test
  void aFileNamedDirectlyIsReadWhateverItsExtension() throws Exception {
    Path file = write("claim.txt", PVC);

    assertThat(load("default", file).facts().claims()).hasSize(1);
  }

  @Test
  void aDashReadsStandardInput() throws Exception {
    var stdin = new java.io.ByteArrayInputStream((PVC + "---\n" + DEPLOYMENT).getBytes(java.nio.charset.StandardCharsets.UTF_8));

    Manifests manifests = new ManifestLoader("default", notes::add, stdin).load(List.of(ManifestLoader.STDIN));

    assertThat(manifests.facts().claims()).hasSize(1);
    assertThat(manifests.originOf(manifests.facts().allWorkloads().iterator().next()).describe())
        .isEqualTo("<stdin>, line 6");
  }

  @Test
  void anEmptyDirectoryGivesANote() throws Exception {
    Files.createDirectories(dir.resolve("empty"));

    load("default", dir.resolve("empty"));

    assertThat(notes).singleElement().asString().contains("no .yaml, .yml or .json files");
  }

  @Test
  void statusInTheInputIsDropped() throws Exception {
    Path file = write("db.yaml", DATABASE + """
        status:
          verdict: safe
          action: none
        ---
        apiVersion: apps/v1
        kind: Deployment
        metadata: {name: web}
        status: {replicas: 1}
        """);

    Manifests manifests = load("default", file);

    SqliteDatabase database = manifests.facts().databases().iterator().next();
    assertThat(database.getStatus() == null ? null : database.getStatus().getVerdict()).isNull();
    Deployment deployment = (Deployment) manifests.facts().allWorkloads().iterator().next();
    assertThat(deployment.getStatus()).isNull();
  }

  @Test
  void olderApiVersionsOfTheKindsWalguardReadsAreReadAsTheCurrentOnes() throws Exception {
    Path file = write("old.yaml", """
        apiVersion: autoscaling/v1
        kind: HorizontalPodAutoscaler
        metadata: {name: web}
        spec: {maxReplicas: 5, scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}}
        ---
        apiVersion: batch/v1beta1
        kind: CronJob
        metadata: {name: nightly}
        spec: {schedule: "@daily", jobTemplate: {spec: {template: {spec: {containers: []}}}}}
        """);

    Manifests manifests = load("default", file);

    assertThat(manifests.facts().autoscalers("default")).singleElement()
        .isInstanceOf(HorizontalPodAutoscaler.class)
        .satisfies(hpa -> assertThat(hpa.getSpec().getMaxReplicas()).isEqualTo(5));
    assertThat(manifests.facts().workloads("default")).singleElement().isInstanceOf(CronJob.class);
  }

  @Test
  void timestampsAndOctalModesReadAsKubernetesReadsThem() throws Exception {
    Path file = write("pod.yaml", """
        apiVersion: v1
        kind: Pod
        metadata: {name: p, creationTimestamp: 2024-05-01T10:00:00Z}
        spec:
          containers: [{name: c, image: busybox}]
          volumes: [{name: cfg, configMap: {name: cfg, defaultMode: 0644}}]
        """);

    Manifests manifests = load("default", file);

    var pod = manifests.facts().pods("default").iterator().next();
    assertThat(pod.getMetadata().getCreationTimestamp()).isEqualTo("2024-05-01T10:00:00Z");
    assertThat(pod.getSpec().getVolumes().get(0).getConfigMap().getDefaultMode()).isEqualTo(0644);
  }

  @Test
  void anchorsAndMergeKeysAreResolved() throws Exception {
    Path file = write("anchors.yaml", """
        apiVersion: v1
        kind: List
        items:
        - apiVersion: v1
          kind: PersistentVolumeClaim
          metadata:
            name: data
            labels: &labels {app: web, tier: db}
            annotations:
              <<: {walguard.io/sqlite: "true"}
              extra: "1"
          spec:
            storageClassName: efs-sc
        - apiVersion: v1
          kind: PersistentVolumeClaim
          metadata: {name: other, labels: *labels}
        """);

    Manifests manifests = load("default", file);

    assertThat(manifests.facts().claim("default", "data").get().getMetadata().getAnnotations())
        .containsEntry("walguard.io/sqlite", "true").containsEntry("extra", "1");
    assertThat(manifests.facts().claim("default", "other").get().getMetadata().getLabels())
        .containsEntry("tier", "db");
  }

  @Test
  void theSameObjectTwiceKeepsTheLaterOneWithANote() throws Exception {
    Path first = write("a.yaml", PVC);
    Path second = write("b.yaml", PVC.replace("efs-sc", "local-path"));

    Manifests manifests = load("default", first, second);

    assertThat(manifests.facts().claim("apps", "data").get().getSpec().getStorageClassName()).isEqualTo("local-path");
    assertThat(notes).singleElement().asString().contains("b.yaml, line 1").contains("also appears at")
        .contains("a.yaml, line 1");
  }

  @Test
  void originsNameTheFileAndTheLineOfTheObjectAndItsFields() throws Exception {
    Path file = write("all.yaml", PVC + "---\n" + DEPLOYMENT);

    Manifests manifests = load("default", file);

    HasMetadata deployment = manifests.facts().allWorkloads().iterator().next();
    assertThat(manifests.originOf(deployment).describe()).isEqualTo(file + ", line 6");
    assertThat(manifests.originOf(deployment, "spec", "replicas").line()).isEqualTo(10);
    assertThat(manifests.originOf(deployment, "spec", "template", "spec", "volumes", 0).line()).isEqualTo(16);
  }

  // --- kustomize layouts and fragments ---

  static final String BASE_DEPLOYMENT = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: app}
      spec:
        replicas: 1
        selector: {matchLabels: {app: app}}
        template:
          metadata: {labels: {app: app}}
          spec:
            containers: [{name: app, image: vaultwarden/server}]
            volumes: [{name: d, persistentVolumeClaim: {claimName: app-data}}]
      """;

  static final String REPLICAS_PATCH = """
      apiVersion: apps/v1
      kind: Deployment
      metadata: {name: app}
      spec:
        replicas: 2
      """;

  /** Every way a kustomization names a patch file, from every name kustomize reads. */
  @ParameterizedTest(name = "{0} listing {1}")
  @CsvSource(delimiter = '|', textBlock = """
      kustomization.yaml | patches: [{path: patch.yaml}]                             | patches
      kustomization.yml  | patches: [{path: ./patch.yaml, target: {kind: Deployment}}] | patches
      Kustomization      | patchesStrategicMerge: [patch.yaml]                        | patchesStrategicMerge
      kustomization.yaml | patchesJson6902: [{path: patch.yaml, target: {name: app}}]  | patchesJson6902
      """)
  void aPatchThatAKustomizationListsIsNotAnObject(String kustomization, String listing, String field)
      throws Exception {
    write("base/deployment.yaml", BASE_DEPLOYMENT);
    write("overlays/prod/" + kustomization, "resources: [../../base]\n" + listing + "\n");
    write("overlays/prod/patch.yaml", REPLICAS_PATCH);

    Manifests manifests = load("default", dir);

    Deployment app = (Deployment) manifests.facts().allWorkloads().iterator().next();
    assertThat(app.getSpec().getReplicas()).isEqualTo(1);
    assertThat(app.getSpec().getTemplate().getSpec().getVolumes()).hasSize(1);
    assertThat(notes).anySatisfy(note -> assertThat(note)
        .startsWith(dir.resolve("overlays/prod/patch.yaml") + ": a patch that "
            + dir.resolve("overlays/prod/" + kustomization) + " lists under " + field + ", not an object: skipped")
        .contains("kubectl kustomize " + dir.resolve("overlays/prod")));
  }

  @Test
  void aPatchInAnotherDirectoryIsFoundThroughItsKustomization() throws Exception {
    write("base/deployment.yaml", BASE_DEPLOYMENT);
    write("overlays/prod/kustomization.yaml", "resources: [../../base]\npatches: [{path: ../../patches/r.yaml}]\n");
    write("patches/r.yaml", REPLICAS_PATCH);

    Manifests manifests = load("default", dir);

    assertThat(((Deployment) manifests.facts().allWorkloads().iterator().next()).getSpec().getReplicas()).isEqualTo(1);
    assertThat(notes).anySatisfy(note -> assertThat(note).startsWith(dir.resolve("patches/r.yaml") + ": a patch"));
  }

  @Test
  void aPatchNamedDirectlyBesideItsKustomizationIsSkippedToo() throws Exception {
    write("prod/kustomization.yaml", "patchesStrategicMerge:\n- patch.yaml\n- |-\n  apiVersion: v1\n");
    Path patch = write("prod/patch.yaml", REPLICAS_PATCH);

    Manifests manifests = load("default", patch);

    assertThat(manifests.facts().allWorkloads()).isEmpty();
    assertThat(notes).singleElement().asString().contains("lists under patchesStrategicMerge");
  }

  @Test
  void aKustomizationWithoutApiVersionIsSkippedByItsName() throws Exception {
    write("prod/kustomization.yaml", "resources: [../base]\nnamespace: apps\n");

    load("default", dir);

    assertThat(notes).singleElement().asString()
        .isEqualTo(dir.resolve("prod/kustomization.yaml") + ": a kustomization, skipped: walguard reads the files"
            + " beside it as they are; to audit what it renders, run `kubectl kustomize " + dir.resolve("prod")
            + " > rendered.yaml` and audit that");
  }

  /** A copy without what the API server requires of its kind is a fragment: it never replaces a complete copy. */
  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      only replicas           | spec: {replicas: 2}                                                  | spec.selector
      containers, no selector | spec: {template: {spec: {containers: [{name: app, env: [{name: A}]}]}}} | spec.selector
      a selector, no template | spec: {selector: {matchLabels: {app: app}}, replicas: 3}             | \
      spec.template.spec.containers
      """)
  void aFragmentNeverReplacesTheCompleteCopy(String name, String spec, String missing) throws Exception {
    Path base = write("a.yaml", BASE_DEPLOYMENT);
    Path fragment = write("b.yaml", "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: app}\n" + spec + "\n");

    Manifests manifests = load("default", base, fragment);

    Deployment app = (Deployment) manifests.facts().allWorkloads().iterator().next();
    assertThat(app.getSpec().getTemplate().getSpec().getVolumes()).hasSize(1);
    assertThat(manifests.originOf(app).file()).isEqualTo(base);
    assertThat(notes).singleElement().asString().isEqualTo(fragment + ", line 1: Deployment default/app also appears"
        + " at " + base + ", line 1; this copy has no " + missing + ", so it is a fragment (a patch?), not the object:"
        + " the complete one is used");
  }

  @Test
  void aCompleteLaterCopyStillReplacesAFragment() throws Exception {
    write("a.yaml", REPLICAS_PATCH);
    write("b.yaml", BASE_DEPLOYMENT.replace("replicas: 1", "replicas: 4"));

    Manifests manifests = load("default", dir);

    assertThat(((Deployment) manifests.facts().allWorkloads().iterator().next()).getSpec().getReplicas()).isEqualTo(4);
    assertThat(notes).singleElement().asString().endsWith("; the later one is used");
  }

  @Test
  void aResizePatchOfAClaimDoesNotReplaceTheClaim() throws Exception {
    write("a.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec: {accessModes: [ReadWriteMany], storageClassName: efs-sc, resources: {requests: {storage: 1Gi}}}
        """);
    write("b.yaml", """
        apiVersion: v1
        kind: PersistentVolumeClaim
        metadata: {name: data}
        spec: {resources: {requests: {storage: 5Gi}}}
        """);

    Manifests manifests = load("default", dir);

    assertThat(manifests.facts().claim("default", "data").get().getSpec().getStorageClassName()).isEqualTo("efs-sc");
    assertThat(notes).singleElement().asString().contains("this copy has no spec.accessModes");
  }
}
