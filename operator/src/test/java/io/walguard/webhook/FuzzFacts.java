package io.walguard.webhook;

import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.core.InMemoryFacts;
import java.util.List;
import java.util.Map;

/** The cache the fuzz runs see: the claims its documents name, on network, block and FUSE storage. */
final class FuzzFacts {

  private static final InMemoryFacts FACTS = InMemoryFacts.of(Fixtures.NS, List.of(
      Fixtures.efs(), Fixtures.gp3(), Fixtures.storageClass("gcs", "gcsfuse.csi.storage.gke.io"),
      Fixtures.storageClass("local-path", "rancher.io/local-path"),
      Fixtures.claim("data", "efs-sc", Fixtures.sqlite()),
      Fixtures.claim("db", "gp3", Fixtures.sqlite()),
      Fixtures.claim("grafana-data", "efs-sc"),
      Fixtures.claim("local-data", "gcs", Fixtures.sqlite()),
      Fixtures.database("grafana", "grafana-data", SqliteDatabaseSpec.Remedy.auto),
      Fixtures.deployment("grafana", 1, "Recreate", "grafana-data", Map.of(), Map.of()),
      Fixtures.deployment("reader", 2, "data"),
      Fixtures.daemonSet("agent", "db")));

  private FuzzFacts() {}

  static InMemoryFacts facts() {
    return FACTS;
  }

  static Deployment deployment(int replicas) {
    return Fixtures.deployment("web", replicas, "data");
  }
}
