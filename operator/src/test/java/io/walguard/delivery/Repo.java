package io.walguard.delivery;

import java.nio.file.Files;
import java.nio.file.Path;

/** Paths of the delivery files in the source tree, found from wherever the tests run (the module or the root). */
final class Repo {

  static final Path ROOT = findRoot();
  static final Path CHART = ROOT.resolve("helm/walguard");
  static final Path CRD = ROOT.resolve("crd/sqlitedatabases.walguard.io-v1.yml");
  static final Path CHART_CRD = CHART.resolve("files/sqlitedatabases.walguard.io-v1.yml");
  static final Path KUBECTL_INSTALL = ROOT.resolve("deploy/walguard.yaml");
  static final Path DOCKERFILE = ROOT.resolve("Dockerfile");
  static final Path PLUGIN = ROOT.resolve("bin/kubectl-walguard");
  static final Path JAR = ROOT.resolve("operator/target/walguard.jar");

  private Repo() {}

  private static Path findRoot() {
    for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
      if (Files.isRegularFile(dir.resolve("helm/walguard/Chart.yaml"))) {
        return dir;
      }
    }
    throw new IllegalStateException("no helm/walguard/Chart.yaml above " + Path.of("").toAbsolutePath());
  }
}
