# walguard: the operator, its admission webhook, the audit CLI and the SQLite toolbox, in one image.
#
#   mvn -B -DskipTests package                      # builds operator/target/walguard.jar
#   docker build -t walguard/walguard:0.1.0 .
#   docker run --rm walguard/walguard:0.1.0 --version
#
# The Helm chart runs this image as user 65532 with a read-only root filesystem, an emptyDir at /tmp and one at
# /tmp/sqlite; the operator starts its checkpoint, journal and probe Jobs from it too.
FROM eclipse-temurin:17-jre

# A numeric non-root user, so that Kubernetes can check runAsNonRoot without a passwd lookup.
# /tmp/sqlite: sqlite-jdbc unpacks its native library into org.sqlite.tmpdir and does not create that directory.
RUN groupadd --system --gid 65532 walguard \
 && useradd --system --uid 65532 --gid 65532 --no-create-home --home-dir /nonexistent --shell /usr/sbin/nologin walguard \
 && mkdir -p /opt/walguard /tmp/sqlite \
 && chmod 1777 /tmp/sqlite

COPY operator/target/walguard.jar /opt/walguard/walguard.jar

# JVM flags for a container: the heap follows the memory limit, an OutOfMemoryError ends the process so the
# kubelet restarts it, the webhook's small HTTPS responses are not held back by Nagle's algorithm, and only the C1
# compiler runs (walguard waits on the API server, not on the CPU; C2 and its code cache cost a fifth of the idle
# RSS and slow the start, see docs/benchmarks-operator.md). Kept in
# JAVA_TOOL_OPTIONS so that they reach every java process in the image; the chart repeats them before its own.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=75 -XX:+ExitOnOutOfMemoryError -XX:TieredStopAtLevel=1 -Dorg.sqlite.tmpdir=/tmp/sqlite -Dsun.net.httpserver.nodelay=true"

USER 65532:65532
WORKDIR /opt/walguard
# 8080: /healthz, /readyz, /metrics; 8443: the admission webhook (HTTPS).
EXPOSE 8080 8443

ENTRYPOINT ["java", "-jar", "/opt/walguard/walguard.jar"]
CMD ["--help"]
