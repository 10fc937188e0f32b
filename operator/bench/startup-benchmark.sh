#!/usr/bin/env bash
# The startup and memory benchmark (not part of the test run): `walguard run` from the packaged jar with the Helm
# chart's JVM flags against a trivial JOSDK operator, from process start to ready, and their resident memory idle and
# after reconciling 1,000 databases, on the mock API server.
# Usage: operator/bench/startup-benchmark.sh [--runs N] [--out FILE]   (extra Maven flags in MVN_ARGS)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -ntp ${MVN_ARGS:-} -pl operator -am package -DskipTests dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >&2
exec java -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.cp)" \
  io.walguard.reconcile.StartupBenchmark --jar operator/target/walguard.jar "$@"
