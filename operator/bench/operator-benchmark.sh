#!/usr/bin/env bash
# The operator benchmark (not part of the test run): reconcile throughput against a trivial JOSDK reconciler on the
# same mock API server, and the operator's heap after a full resync with cache pruning on and off.
# Usage: operator/bench/operator-benchmark.sh [FILE]   (FILE receives the Markdown table; extra Maven flags in MVN_ARGS)
set -euo pipefail
cd "$(dirname "$0")/../.."
mvn -B -q -ntp ${MVN_ARGS:-} -pl operator -am test-compile dependency:build-classpath \
  -Dmdep.outputFile=target/bench.cp -Dmdep.includeScope=test >&2
exec java -Xms1g -Xmx2g -XX:+UseG1GC \
  -cp "operator/target/test-classes:operator/target/classes:$(cat operator/target/bench.cp)" \
  io.walguard.reconcile.OperatorBenchmark "$@"
