package io.walguard.delivery;

import com.marcnuri.helm.Helm;
import com.marcnuri.helm.Release;
import java.nio.file.Path;

/**
 * {@code helm install walguard helm/walguard} through helm-java, as a process of its own so that it can run with
 * {@code HELM_DRIVER=memory} (see {@link ChartInstallOnMockApiTest} for why). Arguments: kubeconfig, namespace,
 * values file. Prints Helm's report and exits 0, or prints Helm's error and exits 1.
 */
public final class HelmInstallMain {

  private HelmInstallMain() {}

  public static void main(String[] args) {
    int status;
    try {
      Release release = new Helm(Repo.CHART).install()
          .withName(ChartRender.RELEASE)
          .withKubeConfig(Path.of(args[0]))
          .withNamespace(args[1])
          .withValuesFile(Path.of(args[2]))
          // The mock serves no OpenAPI document to validate against; the API server's own checks stay.
          .disableOpenApiValidation()
          .call();
      System.out.println("STATUS " + release.getStatus());
      System.out.println(release.getOutput());
      status = 0;
    } catch (RuntimeException e) {
      System.out.println("HELM FAILED " + e.getMessage());
      status = 1;
    }
    // Helm's Go runtime keeps threads of its own; leave without waiting for them.
    System.out.flush();
    Runtime.getRuntime().halt(status);
  }
}
