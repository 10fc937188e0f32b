package io.walguard.cli;

import io.fabric8.kubernetes.client.Config;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.KubernetesClientBuilder;
import io.walguard.audit.Audit;
import io.walguard.audit.AuditEntry;
import io.walguard.audit.BadInputException;
import io.walguard.audit.CliLogging;
import io.walguard.audit.ClusterFacts;
import io.walguard.audit.JsonReport;
import io.walguard.audit.ManifestLoader;
import io.walguard.audit.Manifests;
import io.walguard.audit.TableReport;
import io.walguard.compose.ComposeAudit;
import io.walguard.core.Policy;
import io.walguard.storage.DriverTable;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code walguard audit}: the decision core on manifests on disk or on the current cluster. */
@Command(
    name = "audit",
    mixinStandardHelpOptions = true,
    sortOptions = false,
    description = {
        "Report, database by database, whether SQLite WAL is safe, why, and what walguard would do.",
        "%nDatabases: each SqliteDatabase, and each claim annotated walguard.io/sqlite: \"true\" (on the PVC,"
            + " or on a workload or Pod that mounts it). Without -f, the cluster of the current kubeconfig context is"
            + " read.%n"},
    exitCodeListHeading = "%nExit status:%n",
    exitCodeList = {
        "0:no database is unsafe",
        "1:at least one database is unsafe (or unknown, with --strict)",
        "2:the input cannot be read (a message on stderr; nothing on stdout)"})
public final class AuditCommand implements Callable<Integer> {

  /** The two output formats. */
  enum Format { table, json }

  @Spec CommandSpec spec;

  @Option(names = {"-f", "--filename"}, paramLabel = "PATH",
      description = "A manifest file or a directory (searched recursively for .yaml, .yml and .json files);"
          + " repeatable; - reads standard input. Compose files (compose.yaml, docker-compose.yml ...) get the"
          + " Compose rules.")
  List<Path> paths = new ArrayList<>();

  @Option(names = {"-o", "--output"}, paramLabel = "FORMAT", description = "table (default) or json.")
  Format output = Format.table;

  @Option(names = {"-n", "--namespace"}, paramLabel = "NS",
      description = "With -f: the namespace of objects that name none (default: default)."
          + " Without -f: read only this namespace (default: all namespaces).")
  String namespace;

  @Option(names = "--strict", description = "Count an unknown verdict like an unsafe one in the exit status.")
  boolean strict;

  @Option(names = "--drivers", paramLabel = "FILE",
      description = "A driver table of your own (YAML) laid over the built-in one.")
  Path drivers;

  @Option(names = "--swarm", description = "Read Compose files as Swarm stacks: services may run on several nodes.")
  boolean swarm;

  @Option(names = "--kubeconfig", paramLabel = "FILE",
      description = "Without -f: the kubeconfig to read the cluster from (default: $KUBECONFIG or ~/.kube/config).")
  Path kubeconfig;

  @Option(names = "--context", paramLabel = "NAME", description = "Without -f: the kubeconfig context to use.")
  String context;

  @Override
  public Integer call() {
    PrintWriter out = spec.commandLine().getOut();
    PrintWriter err = spec.commandLine().getErr();
    CliLogging.warningsToStderr();
    Consumer<String> notes = note -> err.println("walguard audit: note: " + note);
    try {
      String defaultNamespace = namespace == null || namespace.isBlank() ? "default" : namespace;
      Manifests manifests;
      if (!paths.isEmpty()) {
        manifests = new ManifestLoader(defaultNamespace, notes).load(paths);
      } else {
        try (KubernetesClient client = clusterClient()) {
          manifests = Manifests.ofCluster(new ClusterFacts(client, namespace, notes).read(defaultNamespace));
        }
      }
      Policy policy = drivers == null ? Policy.standard() : Policy.withDrivers(driverTable(drivers));
      List<AuditEntry> entries = new Audit(policy, new ComposeAudit(), notes).run(manifests, swarm);
      // Rendered whole before anything is printed, so that a failure leaves stdout empty.
      String report = output == Format.json ? JsonReport.render(entries) + "\n"
          : TableReport.render(entries, manifests.readsKubernetes(), manifests.readsCompose());
      out.print(report);
      out.flush();
      return Audit.exitStatus(entries, strict);
    } catch (BadInputException e) {
      err.println("walguard audit: " + e.getMessage());
      err.flush();
      return Audit.BAD_INPUT;
    } catch (Throwable e) {
      // The command boundary: whatever went wrong, the user gets one line, not a stack trace.
      err.println("walguard audit: internal error, please report it: " + e.getClass().getSimpleName()
          + (e.getMessage() == null ? "" : ": " + e.getMessage()));
      err.flush();
      return Audit.BAD_INPUT;
    }
  }

  private static DriverTable driverTable(Path file) throws BadInputException {
    if (!Files.isRegularFile(file)) {
      throw new BadInputException("--drivers " + file + ": no such file");
    }
    if (!Files.isReadable(file)) {
      throw new BadInputException("--drivers " + file + ": cannot be read (permission denied)");
    }
    try {
      return DriverTable.builtInWith(file);
    } catch (RuntimeException e) {
      throw new BadInputException("--drivers " + file + ": " + e.getMessage(), e);
    }
  }

  private KubernetesClient clusterClient() throws BadInputException {
    Config config;
    if (kubeconfig != null) {
      if (!Files.isRegularFile(kubeconfig)) {
        throw new BadInputException("--kubeconfig " + kubeconfig + ": no such file");
      }
      try {
        config = Config.fromKubeconfig(context, kubeconfig.toFile());
      } catch (RuntimeException e) {
        throw new BadInputException("--kubeconfig " + kubeconfig + ": cannot be used: " + e.getMessage(), e);
      }
    } else {
      boolean anyKubeconfig = Config.getKubeconfigFilenames().stream().anyMatch(f -> Files.isRegularFile(Path.of(f)));
      if (!anyKubeconfig && System.getenv("KUBERNETES_SERVICE_HOST") == null) {
        throw new BadInputException("no -f given and no kubeconfig found ($KUBECONFIG or ~/.kube/config):"
            + " give -f PATH to audit manifests, or --kubeconfig FILE to audit a cluster");
      }
      config = Config.autoConfigure(context);
    }
    // A command line should fail fast on an unreachable cluster rather than retry for a minute.
    config.setRequestRetryBackoffLimit(1);
    return new KubernetesClientBuilder().withConfig(config).build();
  }
}
