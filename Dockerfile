# syntax=docker/dockerfile:1
# walguard: the operator, its admission webhook, the audit CLI and the SQLite toolbox, in one image.
#
#   docker build -t walguard/walguard:0.1.0 .
#   docker run --rm walguard/walguard:0.1.0 --version
#
# Docker (with BuildKit, the default since Docker 23) is all it needs: the first stage builds the jar with Maven and
# JDK 17, the second is a JRE with the jar, the SQLite toolbox's class-data archive and a numeric non-root user.
# The Helm chart runs the image as user 65532 with a read-only root filesystem, an emptyDir at /tmp and one at
# /tmp/sqlite; the operator starts its checkpoint, journal and probe Jobs from the same image.

FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
# The reactor: the parent pom, its three modules, and the example stories that `walguard demo` carries in the jar.
COPY pom.xml pom.xml
COPY crd crd
COPY operator operator
COPY e2e e2e
COPY examples examples
# The local Maven repository is a build cache, so a second build does not download every dependency again.
RUN --mount=type=cache,target=/root/.m2 mvn -B -DskipTests package
# A small database in WAL mode for the toolbox's training runs in the next stage.
RUN apt-get update \
 && apt-get install -y --no-install-recommends sqlite3 \
 && rm -rf /var/lib/apt/lists/* \
 && sqlite3 /src/training.db "PRAGMA journal_mode=WAL; CREATE TABLE t (x BLOB); INSERT INTO t VALUES (randomblob(4000));"

FROM eclipse-temurin:17-jre

# A numeric non-root user, so that Kubernetes can check runAsNonRoot without a passwd lookup.
# /tmp/sqlite: sqlite-jdbc unpacks its native library into org.sqlite.tmpdir and does not create that directory.
RUN groupadd --system --gid 65532 walguard \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin walguard \
 && mkdir -p /opt/walguard /tmp/sqlite \
 && chmod 1777 /tmp/sqlite

COPY --from=build /src/operator/target/walguard.jar /opt/walguard/walguard.jar

# JVM flags for a container: the heap follows the memory limit, an OutOfMemoryError ends the process so the
# kubelet restarts it, the webhook's small HTTPS responses are not held back by Nagle's algorithm, and only the C1
# compiler runs (walguard waits on the API server, not on the CPU; C2 and its code cache cost a fifth of the idle
# RSS and slow the start, see docs/benchmarks-operator.md). Kept in
# JAVA_TOOL_OPTIONS so that they reach every java process in the image; the chart repeats them before its own.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Dorg.sqlite.tmpdir=/tmp/sqlite -Dsun.net.httpserver.nodelay=true"

# The static AppCDS archive that walguard's checkpoint, journal and probe Jobs start with (io.walguard.sqlite.ToolboxJvm
# names it; docs/sqlite-toolbox.md explains it). Training runs of each toolbox command, with the Jobs' own JVM flags,
# list the classes they load; -Xshare:dump turns the list into the archive, with the same garbage collector and the
# same class path as the Jobs (an archive only matches the JVM and the jar it was made with, so it is made here, after
# the jar is in place). A training run's own result does not matter, only the classes it loaded; the last run
# proves that the Jobs' flags map the archive (-Xshare:on fails when they cannot).
COPY --from=build /src/training.db /tmp/cds/training.db
RUN set -eu; \
    toolbox="-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Xss512k -Xms8m -Xmx64m -XX:-UsePerfData -Xshare:auto -XX:SharedArchiveFile=/opt/walguard/walguard-sqlite.jsa -Dorg.sqlite.tmpdir=/tmp -Djava.io.tmpdir=/tmp"; \
    java $toolbox -XX:DumpLoadedClassList=/tmp/cds/1.lst -jar /opt/walguard/walguard.jar sqlite checkpoint /tmp/cds/training.db --mode PASSIVE -o json --termination-log /dev/null > /dev/null || true; \
    java $toolbox -XX:DumpLoadedClassList=/tmp/cds/2.lst -jar /opt/walguard/walguard.jar sqlite inspect /tmp/cds/training.db -o json --termination-log /dev/null > /dev/null || true; \
    java $toolbox -XX:DumpLoadedClassList=/tmp/cds/3.lst -jar /opt/walguard/walguard.jar sqlite set-journal-mode /tmp/cds/training.db --mode DELETE -o json --termination-log /dev/null > /dev/null || true; \
    java $toolbox -XX:DumpLoadedClassList=/tmp/cds/4.lst -jar /opt/walguard/walguard.jar sqlite probe /tmp/cds -o json --termination-log /dev/null > /dev/null || true; \
    awk '!seen[$0]++' /tmp/cds/1.lst /tmp/cds/2.lst /tmp/cds/3.lst /tmp/cds/4.lst > /tmp/cds/classes.lst; \
    java -XX:+UseSerialGC -Xshare:dump -XX:SharedClassListFile=/tmp/cds/classes.lst -XX:SharedArchiveFile=/opt/walguard/walguard-sqlite.jsa -cp /opt/walguard/walguard.jar > /dev/null; \
    chmod 0444 /opt/walguard/walguard-sqlite.jsa; \
    java $toolbox -Xshare:on -jar /opt/walguard/walguard.jar sqlite inspect /tmp/cds/training.db -o json --termination-log /dev/null > /dev/null; \
    cd /; rm -rf /tmp/cds /tmp/sqlite-*

USER 65532:65532
WORKDIR /opt/walguard
# 8080: /healthz, /readyz, /metrics; 8443: the admission webhook (HTTPS).
EXPOSE 8080 8443

ENTRYPOINT ["java", "-jar", "/opt/walguard/walguard.jar"]
CMD ["--help"]
