package io.walguard.compose;

import static org.assertj.core.api.Assertions.assertThat;

import io.walguard.audit.AuditEntry;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** How databases are found in a Compose file, and who opens them. */
class ComposeDatabasesTest {

  @TempDir Path dir;

  static Stream<Arguments> declarations() {
    return Stream.of(
        Arguments.of("volume label, map syntax", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db: {labels: {walguard.io/sqlite: "true"}}
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("volume label, list syntax", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db: {labels: [walguard.io/sqlite=true]}
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("volume label as a YAML boolean", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db: {labels: {walguard.io/sqlite: true}}
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("volume label false", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db: {labels: {walguard.io/sqlite: "false"}}
            """, List.of(), List.of()),
        Arguments.of("service label names the volume, and every service mounting it opens it", """
            services:
              web: {image: app, volumes: [db:/data], labels: {walguard.io/sqlite: db}}
              worker: {image: app, volumes: ["db:/var/lib/app:ro"]}
              cache: {image: redis, volumes: [cache:/data]}
            volumes:
              db: {}
              cache: {}
            """, List.of("db"), List.of(List.of("service/web", "service/worker"))),
        Arguments.of("service label in list syntax", """
            services:
              web: {image: app, volumes: [db:/data], labels: [walguard.io/sqlite=db, tier=web]}
            volumes:
              db:
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("deploy.labels, the labels of a Swarm service, are read like labels", """
            services:
              web: {image: app, volumes: [db:/data], deploy: {labels: {walguard.io/sqlite: db}}}
              admin: {image: app, volumes: [db:/data]}
            volumes:
              db:
            """, List.of("db"), List.of(List.of("service/admin", "service/web"))),
        Arguments.of("deploy.labels and labels may name two mounts", """
            services:
              web:
                image: app
                volumes: [db:/data, ./cache:/cache]
                labels: [walguard.io/sqlite=./cache]
                deploy: {labels: [walguard.io/sqlite=db]}
            volumes:
              db:
            """, List.of("./cache", "db"), List.of(List.of("service/web"), List.of("service/web"))),
        Arguments.of("a service label true names the service's one volume", """
            services:
              web: {image: app, volumes: [db:/data, {type: tmpfs, target: /tmp}], labels: {walguard.io/sqlite: "true"}}
              admin: {image: app, volumes: [db:/data]}
            volumes:
              db:
            """, List.of("db"), List.of(List.of("service/admin", "service/web"))),
        Arguments.of("a service label true names the service's one bind mount, however often it is mounted", """
            services:
              web: {image: app, volumes: [./data:/data, ./data/:/again], labels: [walguard.io/sqlite=true]}
            """, List.of("./data"), List.of(List.of("service/web"))),
        Arguments.of("a service label false marks nothing", """
            services:
              web: {image: app, volumes: [db:/data], labels: {walguard.io/sqlite: "false"}}
            volumes:
              db:
            """, List.of(), List.of()),
        Arguments.of("service label names a bind mount; other spellings of the directory are the same mount", """
            services:
              web: {image: app, volumes: [./data:/data], labels: {walguard.io/sqlite: ./data}}
              worker: {image: app, volumes: ["./data/:/srv/data:ro"]}
              other: {image: app, volumes: [./other:/data]}
            """, List.of("./data"), List.of(List.of("service/web", "service/worker"))),
        Arguments.of("long syntax mounts", """
            services:
              web:
                image: app
                labels: {walguard.io/sqlite: db}
                volumes:
                  - {type: volume, source: db, target: /data}
              backup:
                image: app
                volumes:
                  - type: volume
                    source: db
                    target: /backup
                    read_only: true
              tmp:
                image: app
                volumes: [{type: tmpfs, target: /data}]
            volumes:
              db:
            """, List.of("db"), List.of(List.of("service/backup", "service/web"))),
        Arguments.of("volumes_from takes another service's mounts, transitively", """
            services:
              web: {image: app, volumes: [db:/data], labels: {walguard.io/sqlite: db}}
              sidecar: {image: tool, volumes_from: [web]}
              backup: {image: tool, volumes_from: ["sidecar:ro", "container:legacy"]}
            volumes:
              db:
            """, List.of("db"), List.of(List.of("service/backup", "service/sidecar", "service/web"))),
        Arguments.of("x-walguard names a volume", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db:
            x-walguard:
              databases: [{volume: db, file: app.db}]
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("x-walguard names a bind source", """
            services:
              web: {image: app, volumes: [./state:/state]}
            x-walguard:
              databases: [{volume: ./state, file: app.db}]
            """, List.of("./state"), List.of(List.of("service/web"))),
        Arguments.of("one volume found three ways is one database", """
            services:
              web: {image: app, volumes: [db:/data], labels: {walguard.io/sqlite: db}}
            volumes:
              db: {labels: {walguard.io/sqlite: "true"}}
            x-walguard:
              databases: [{volume: db}]
            """, List.of("db"), List.of(List.of("service/web"))),
        Arguments.of("a labelled volume that no service mounts has no openers", """
            services:
              web: {image: app}
            volumes:
              db: {labels: {walguard.io/sqlite: "true"}}
            """, List.of("db"), List.of(List.of())),
        Arguments.of("several databases come out sorted by name", """
            services:
              web: {image: app, volumes: [zeta:/z, alpha:/a]}
            volumes:
              zeta: {labels: {walguard.io/sqlite: "true"}}
              alpha: {labels: {walguard.io/sqlite: "true"}}
            """, List.of("alpha", "zeta"), List.of(List.of("service/web"), List.of("service/web"))),
        Arguments.of("no label, no database", """
            services:
              web: {image: app, volumes: [db:/data]}
            volumes:
              db:
            """, List.of(), List.of()));
  }

  @ParameterizedTest(name = "{0}")
  @MethodSource("declarations")
  void findsEachDatabaseOnceWithEveryServiceThatMountsIt(String name, String yaml, List<String> databases,
      List<List<String>> openers) throws Exception {
    List<AuditEntry> entries = ComposeFixture.audit(ComposeFixture.write(dir, yaml), false);
    assertThat(entries).extracting(AuditEntry::name).containsExactlyElementsOf(databases);
    assertThat(entries).extracting(AuditEntry::claim).containsExactlyElementsOf(databases);
    assertThat(entries).extracting(AuditEntry::openers).containsExactlyElementsOf(openers);
  }

  @Test
  void aBindMountDatabaseIsNamedAsTheLabelWritesIt() throws Exception {
    Path file = ComposeFixture.write(dir, """
        services:
          web: {image: app, volumes: ["%s/data:/data"], labels: {walguard.io/sqlite: ./data}}
        """.formatted(dir.toAbsolutePath()));
    AuditEntry entry = ComposeFixture.only(file, false);
    assertThat(entry.name()).isEqualTo("./data");
    assertThat(entry.storage()).isEqualTo("local");
    assertThat(entry.storageEvidence()).isEqualTo("bind mount ./data: a directory of the host");
  }
}
