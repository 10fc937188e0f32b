package io.walguard.demo;

import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.PodSpec;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.fabric8.kubernetes.client.KubernetesClient;
import java.nio.file.Path;
import java.sql.Connection;

/**
 * One run of walguard's checkpoint CronJob, as the CronJob controller, the Job controller and the kubelet would
 * leave it: a Job, its finished pod and the pod's termination message. The checkpoint itself is real: the CronJob's
 * own {@code walguard sqlite checkpoint} arguments run in this process on a real SQLite database in WAL mode
 * (standing in for the file on the volume), while the application still holds its connection, as Grafana does.
 */
public final class CheckpointRun {

  private CheckpointRun() {}

  /** Runs the CronJob once, as its controller would; {@code volumes} holds the directories that stand in for claims. */
  public static Pod run(KubernetesClient client, CronJob cronJob, Path volumes, String node) throws Exception {
    String jobName = cronJob.getMetadata().getName() + "-" + (System.currentTimeMillis() / 60000);
    Job job = client.resource(new JobBuilder()
        .withNewMetadata().withNamespace(cronJob.getMetadata().getNamespace()).withName(jobName)
          .withLabels(cronJob.getSpec().getJobTemplate().getMetadata().getLabels())
          .addNewOwnerReference().withApiVersion("batch/v1").withKind("CronJob")
            .withName(cronJob.getMetadata().getName()).withUid(cronJob.getMetadata().getUid()).withController(true)
          .endOwnerReference()
        .endMetadata()
        .withSpec(cronJob.getSpec().getJobTemplate().getSpec())
        .build()).create();
    return runJob(client, job, volumes, node);
  }

  /** Runs a Job made from the CronJob (by its controller, or by {@code kubectl create job --from=cronjob/...}). */
  public static Pod runJob(KubernetesClient client, Job job, Path volumes, String node) throws Exception {
    PodSpec pod = job.getSpec().getTemplate().getSpec();
    Path volume = ToolboxRun.volume(volumes, job.getMetadata().getNamespace(), ToolboxRun.claim(pod));
    ToolboxRun.Result result;
    try (Connection app = ToolboxRun.applicationWrites(ToolboxRun.database(pod, volume), 200)) {
      result = ToolboxRun.run(pod, volume);
    }
    return ToolboxRun.finishedPod(client, job, job.getMetadata().getName() + "-x1", node, result);
  }
}
