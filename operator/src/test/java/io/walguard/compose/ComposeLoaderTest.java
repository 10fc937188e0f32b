package io.walguard.compose;

import static io.walguard.compose.ComposeFixture.write;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.audit.AuditEntry;
import io.walguard.audit.BadInputException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** A project is read as docker compose reads it: directories, override files, documents, extends, include, .env. */
class ComposeLoaderTest {

  private static final String DATABASE = """
      services:
        web: {image: app, volumes: [%s:/data]}
      volumes:
        %s: {labels: {walguard.io/sqlite: "true"}}
      """;

  @TempDir Path dir;

  private static String database(String name) {
    return DATABASE.formatted(name, name);
  }

  @ParameterizedTest
  @ValueSource(strings = {"compose.yaml", "compose.yml", "docker-compose.yaml", "docker-compose.yml"})
  void aDirectoryIsReadThroughItsComposeFile(String name) throws Exception {
    write(dir, name, database("db"));
    assertThat(ComposeAudit.findIn(dir)).contains(dir.resolve(name));
    assertThat(ComposeFixture.only(dir, false).name()).isEqualTo("db");
  }

  @ParameterizedTest(name = "{0} wins over {1}")
  @CsvSource({
      "compose.yaml, compose.yml",
      "compose.yml, docker-compose.yml",
      "docker-compose.yml, docker-compose.yaml",
      "compose.yaml, docker-compose.yaml"})
  void composePreferenceDecidesBetweenSeveralFiles(String winner, String loser) throws Exception {
    write(dir, winner, database("chosen"));
    write(dir, loser, database("ignored"));
    assertThat(ComposeFixture.only(dir, false).name()).isEqualTo("chosen");
  }

  @ParameterizedTest(name = "{0}: {1}")
  @CsvSource({
      "compose.yaml, true", "compose.yml, true", "docker-compose.yaml, true", "docker-compose.yml, true",
      "compose.override.yaml, false", "values.yaml, false", "deployment.yaml, false"})
  void composeFilesAreKnownByName(String name, boolean compose) {
    assertThat(ComposeAudit.isComposeFile(dir.resolve(name))).isEqualTo(compose);
    assertThat(ComposeAudit.isComposeFile(Path.of("some", "where", name))).isEqualTo(compose);
  }

  @Test
  void aDirectoryWithoutComposeFileIsBadInput() {
    assertThat(ComposeAudit.findIn(dir)).isEmpty();
    assertThatThrownBy(() -> ComposeFixture.audit(dir, false))
        .isInstanceOf(BadInputException.class)
        .hasMessage(dir + ": no Compose file in this directory (looked for compose.yaml, compose.yml,"
            + " docker-compose.yml, docker-compose.yaml); name the file with -f");
  }

  @Test
  void aDirectoryTakesItsOverrideFileAndAFileNamedAloneDoesNot() throws Exception {
    Path file = write(dir, "compose.yaml", database("db").replace("db: {labels",
        "db: {driver_opts: {type: nfs, o: 'addr=nas', device: ':/db'}, labels"));
    write(dir, "compose.override.yml", """
        services:
          web:
            deploy: {replicas: 2, placement: {constraints: [node.role == worker]}}
        """);
    write(dir, "docker-compose.override.yaml", "services: {web: {image: never-read}}\n");
    assertThat(ComposeFixture.only(dir, false).verdict()).isEqualTo("unsafe");
    assertThat(ComposeFixture.only(file, false).verdict()).isEqualTo("safe");
  }

  @ParameterizedTest
  @ValueSource(strings = {"docker-stack.yml", "docker-stack.yaml", "stack.yml", "stack.yaml"})
  void aFileNamedAsStackFilesAreIsReadAsASwarmStack(String name) throws Exception {
    String replicated = database("db").replace("web: {image: app,", "web: {image: app, deploy: {replicas: 2},")
        .replace("db: {labels", "db: {driver_opts: {type: nfs, o: 'addr=nas', device: ':/db'}, labels");
    AuditEntry stack = ComposeFixture.only(write(dir.resolve("stack"), name, replicated), false);
    assertThat(stack.verdict()).isEqualTo("unsafe");
    assertThat(stack.reasons()).contains("read as a Swarm stack, where services can run on several nodes: the file"
        + " is named " + name + ", as files for docker stack deploy are");
    assertThat(ComposeFixture.only(write(dir.resolve("plain"), "compose.yaml", replicated), false).verdict())
        .isEqualTo("safe");
  }

  @Test
  void filesNamedTogetherAreLaidOverEachOtherWithPathsRelativeToTheFirst() throws Exception {
    Path base = write(dir.resolve("app"), "docker-compose.yml", """
        services:
          web: {image: app, volumes: [./data:/data], labels: {walguard.io/sqlite: ./data}}
        """);
    Path common = write(dir.resolve("app"), "common.yml", "services:\n  base: {image: app, volumes: [./data:/d]}\n");
    Path prod = write(dir.resolve("deploy"), "docker-compose.prod.yml", """
        services:
          worker: {image: app, volumes: [./data:/srv]}
          admin: {extends: {file: common.yml, service: base}}
          web:
            deploy: {replicas: 2, placement: {constraints: [node.role == worker]}}
        """);
    ComposeAudit.Result result = new ComposeAudit(Map.of())
        .audit(new ComposeProject(List.of(base, prod), Map.of()), false);
    assertThat(result.entries()).singleElement().satisfies(entry -> {
      assertThat(entry.namespace()).isEqualTo("app");
      assertThat(entry.openers()).containsExactly("service/admin", "service/web", "service/worker");
      assertThat(entry.reasons()).anySatisfy(r -> assertThat(r).contains("in this Swarm stack service/admin"));
    });
    assertThat(result.files()).containsExactlyInAnyOrder(base.toAbsolutePath(), prod.toAbsolutePath(),
        common.toAbsolutePath());
  }

  @Test
  void aFileAlreadyReadIsReadFromItsTextWithPathsRelativeToTheWorkingDirectory() throws Exception {
    Path stdin = Path.of("<stdin>");
    ComposeProject project = new ComposeProject(List.of(stdin), Map.of(stdin, """
        name: piped
        services:
          web: {image: app, volumes: [./data:/data], labels: {walguard.io/sqlite: "true"}}
        """));
    AuditEntry entry = new ComposeAudit(Map.of()).audit(project, false).entries().get(0);
    assertThat(entry.namespace()).isEqualTo("piped");
    assertThat(entry.name()).isEqualTo("./data");
    ComposeProject broken = new ComposeProject(List.of(stdin), Map.of(stdin, "services:\n  web: {deploy: 3}\n"));
    assertThatThrownBy(() -> new ComposeAudit(Map.of()).audit(broken, false))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith("<stdin>:2: services.web.deploy is the number 3");
  }

  @Test
  void theFilesOfAProjectIncludeThoseItIncludesAndExtends() throws Exception {
    Path common = write(dir, "common.yml", "services:\n  base: {image: app, volumes: [db:/data]}\nvolumes: {db: {}}\n");
    Path included = write(dir.resolve("lib"), "compose.yaml", "services:\n  cache: {image: redis}\n");
    Path file = write(dir, """
        include: [lib/compose.yaml]
        services:
          web: {extends: {file: common.yml, service: base}}
        volumes: {db: {}}
        """);
    assertThat(new ComposeAudit(Map.of()).audit(ComposeProject.of(dir), false).files())
        .containsExactlyInAnyOrder(file.toAbsolutePath(), common.toAbsolutePath(), included.toAbsolutePath());
  }

  @Test
  void documentsOfOneFileMergeInOrderWithMountsUniqueByTarget() throws Exception {
    Path file = write(dir, """
        services:
          web: {image: app, volumes: [old:/data], labels: [tier=web]}
        volumes:
          old: {}
          db: {driver: glusterfs, labels: {walguard.io/sqlite: "true"}}
        ---
        services:
          web:
            volumes: [db:/data]
            labels: {walguard.io/sqlite: db}
            deploy: {replicas: 2}
        """);
    AuditEntry entry = ComposeFixture.only(file, true);
    assertThat(entry.openers()).containsExactly("service/web");
    assertThat(entry.reasons()).anySatisfy(r -> assertThat(r).contains("2 replicas"));
    ComposeModel model = ComposeFixture.model(file);
    assertThat(model.services().get("web").mounts()).extracting(ServiceMount::source).containsExactly("db");
    assertThat(model.services().get("web").labels()).containsEntry("tier", "web");
  }

  @Test
  void resetRemovesAndOverrideReplacesWhatAnEarlierDefinitionSet() throws Exception {
    Path file = write(dir, """
        services:
          web: {image: app, volumes: [db:/data], labels: {a: "1", b: "2"}}
        volumes:
          db: {labels: {walguard.io/sqlite: "true"}}
        ---
        services:
          web:
            volumes: !reset []
            labels: !override {c: "3"}
        """);
    assertThat(ComposeFixture.only(file, false).openers()).isEmpty();
    assertThat(ComposeFixture.model(file).services().get("web").labels()).containsExactly(Map.entry("c", "3"));
  }

  @Test
  void extendsInTheSameFileInheritsMountsAndLetsTheServiceOverrideThem() throws Exception {
    Path file = write(dir, """
        services:
          base: {image: app, volumes: [db:/data, cache:/cache], deploy: {replicas: 2}}
          web: {extends: base, labels: {walguard.io/sqlite: db, tier: web}}
          admin:
            extends: {service: web}
            volumes: [other:/data]
            labels: [walguard.io/sqlite=other]
        volumes: {db: {}, cache: {}, other: {}}
        """);
    assertThat(ComposeFixture.audit(file, false)).extracting(AuditEntry::name, AuditEntry::openers).containsExactly(
        org.assertj.core.groups.Tuple.tuple("db", List.of("service/base", "service/web")),
        org.assertj.core.groups.Tuple.tuple("other", List.of("service/admin")));
    ComposeService admin = ComposeFixture.model(file).services().get("admin");
    assertThat(admin.mounts()).extracting(ServiceMount::source).containsExactly("other", "cache");
    assertThat(admin.deploy().replicas()).isEqualTo(2);
    assertThat(admin.labels()).containsEntry("walguard.io/sqlite", "other").containsEntry("tier", "web");
  }

  @Test
  void extendsFromAnotherFileResolvesItsPathsThere() throws Exception {
    write(dir.resolve("common"), "base.yaml", """
        services:
          app:
            image: app
            volumes: [./state:/state]
        """);
    Path file = write(dir, """
        services:
          web:
            extends: {file: common/base.yaml, service: app}
          worker:
            image: app
            volumes: [./common/state:/state]
        x-walguard:
          databases: [{volume: ./common/state}]
        """);
    AuditEntry entry = ComposeFixture.only(file, false);
    assertThat(entry.name()).isEqualTo("./common/state");
    assertThat(entry.openers()).containsExactly("service/web", "service/worker");
  }

  @ParameterizedTest(name = "{0}")
  @CsvSource(delimiter = '|', textBlock = """
      a cycle           | services: {a: {extends: b}, b: {extends: a}}                       | (an extends cycle)
      a missing service | services: {a: {extends: ghost}}                                     | names service "ghost", which
      a missing file    | services: {a: {extends: {file: nowhere.yaml, service: b}}}          | nowhere.yaml, which does not exist
      a remote file     | services: {a: {extends: {file: 'https://x/c.yaml', service: b}}}    | a remote reference
      a missing include | include: [gone/compose.yaml]                                        | :1: include[0] names
      a remote include  | include: ['oci://registry/app:1']                                   | walguard reads local files only
      no service        | services: {a: {extends: {file: nowhere.yaml}}}                      | names no service
      """)
  void brokenExtendsIsBadInput(String name, String yaml, String message) throws Exception {
    Path file = write(dir, yaml + "\n");
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class).hasMessageStartingWith(file.toString()).hasMessageContaining(message);
  }

  @Test
  void includedProjectsAddServicesAndVolumesWithTheirOwnEnvFile() throws Exception {
    write(dir.resolve("storage"), ".env", "NFS_ADDR=10.9.9.9\nTAG=from-included\n");
    write(dir.resolve("storage"), "compose.yaml", """
        services:
          worker: {image: "app:${TAG}", volumes: [db:/data]}
        volumes:
          db:
            driver_opts: {type: nfs, o: "addr=${NFS_ADDR}", device: ":/db"}
            labels: {walguard.io/sqlite: "true"}
        """);
    write(dir, ".env", "TAG=from-main\n");
    Path file = write(dir, """
        include:
          - storage/compose.yaml
        services:
          web: {image: app, volumes: [db:/data]}
        """);
    AuditEntry entry = ComposeFixture.only(file, false);
    assertThat(entry.openers()).containsExactly("service/web", "service/worker");
    assertThat(entry.storageEvidence()).contains("addr=10.9.9.9");
    assertThat(ComposeFixture.model(file).services().get("worker").image()).isEqualTo("app:from-main");
  }

  @Test
  void includeInLongSyntaxMergesItsFilesAndLocalDefinitionsWin() throws Exception {
    write(dir.resolve("lib"), "a.yaml", """
        services:
          worker: {image: app, volumes: [db:/data]}
        volumes:
          db: {driver: rclone, labels: {walguard.io/sqlite: "true"}}
        """);
    write(dir.resolve("lib"), "b.yaml", "services:\n  worker: {deploy: {replicas: 3}}\n");
    Path file = write(dir, """
        include:
          - path: [lib/a.yaml, lib/b.yaml]
        services:
          web: {image: app, volumes: [db:/data]}
        volumes:
          db: {driver: local, labels: {walguard.io/sqlite: "true"}}
        """);
    AuditEntry entry = ComposeFixture.only(file, false);
    assertThat(entry.storage()).isEqualTo("local");
    assertThat(ComposeFixture.model(file).services().get("worker").deploy().replicas()).isEqualTo(3);
  }

  @Test
  void anIncludeCycleIsBadInput() throws Exception {
    write(dir, "other.yaml", "include: [compose.yaml]\nservices: {}\n");
    Path file = write(dir, "include: [other.yaml]\nservices: {}\n");
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class).hasMessageContaining("which includes this file again");
  }

  @Test
  void aProjectPullingInTooManyFilesStops() throws Exception {
    for (int i = 0; i < ComposeLoader.MAX_FILES + 2; i++) {
      write(dir, "part" + i + ".yaml", "include: [part" + (i + 1) + ".yaml]\nservices: {}\n");
    }
    write(dir, "part" + (ComposeLoader.MAX_FILES + 2) + ".yaml", "services: {}\n");
    Path file = write(dir, "include: [part0.yaml]\nservices: {}\n");
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class).hasMessageContaining("more than " + ComposeLoader.MAX_FILES + " files");
  }

  @Test
  void variablesComeFromTheEnvironmentOverTheEnvFile() throws Exception {
    write(dir, ".env", """
        # the replicas of web
        export REPLICAS=3
        NFS="10.0.0.7"
        QUOTED='${NOT_EXPANDED}'
        """);
    Path file = write(dir, """
        name: ${PROJECT:-notes}
        services:
          web:
            image: app
            volumes: [db:/data]
            deploy: {replicas: "${REPLICAS}"}
        volumes:
          db:
            driver_opts: {type: nfs, o: "addr=${NFS},nolock", device: ":/db"}
            labels: {walguard.io/sqlite: "true", note: "${QUOTED}"}
        """);
    AuditEntry fromEnvFile = ComposeFixture.only(file, true);
    assertThat(fromEnvFile.namespace()).isEqualTo("notes");
    assertThat(fromEnvFile.storageEvidence()).contains("addr=10.0.0.7");
    assertThat(fromEnvFile.reasons()).anySatisfy(r -> assertThat(r).contains("3 replicas"));
    assertThat(ComposeFixture.model(file).volumes().get("db").labels()).containsEntry("note", "${NOT_EXPANDED}");

    List<AuditEntry> fromEnvironment = new ComposeAudit(Map.of("REPLICAS", "1", "PROJECT", "other")).audit(file, true);
    assertThat(fromEnvironment.get(0).namespace()).isEqualTo("other");
    assertThat(fromEnvironment.get(0).verdict()).isEqualTo("safe");
  }

  @ParameterizedTest(name = "directory \"{0}\" -> {1}")
  @CsvSource({"notes, notes", "My_Project Dir, my_projectdir", "-web.app-, webapp-", "2024 Stack, 2024stack"})
  void withoutNameTheProjectIsNamedAfterItsDirectory(String directory, String project) throws Exception {
    Path file = write(dir.resolve(directory), database("db"));
    assertThat(ComposeFixture.only(file, false).namespace()).isEqualTo(project);
  }

  @Test
  void aDirectoryNameThatGivesNoProjectNameIsBadInput() throws Exception {
    Path file = write(dir.resolve("..."), database("db"));
    assertThat(Files.exists(file)).isTrue();
    assertThatThrownBy(() -> ComposeFixture.audit(file, false))
        .isInstanceOf(BadInputException.class).hasMessageContaining("add name: <project>");
  }
}
