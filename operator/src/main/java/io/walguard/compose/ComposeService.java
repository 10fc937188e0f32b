package io.walguard.compose;

import io.walguard.audit.BadInputException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * A service of a Compose file, reduced to what decides SQLite's safety: its image, labels, mounts and deploy.
 *
 * @param labels the service's {@code labels:} (container labels)
 * @param deployLabels its {@code deploy.labels}: the labels of the service itself in a Swarm stack, where users put
 *     the labels that describe a service
 * @param volumesFrom the services whose mounts it takes with {@code volumes_from} ({@code container:} entries name
 *     containers outside the file and are left out)
 */
record ComposeService(String name, String image, Map<String, String> labels, Field labelsField,
    Map<String, String> deployLabels, Field deployLabelsField, List<ServiceMount> mounts, List<String> volumesFrom, Field volumesFromField, SwarmDeploy deploy, Field field) {

  /** A label's value and the labels it was written in ({@code labels} or {@code deploy.labels}). */
  record Label(String value, Field labels) {}

  String ref() {
    return "service/" + name;
  }

  /** The label {@code key} from {@code labels:} and from {@code deploy.labels}, where either has it. */
  List<Label> label(String key) {
    List<Label> found = new ArrayList<>();
    if (labels.containsKey(key)) {
      found.add(new Label(labels.get(key), labelsField));
    }
    if (deployLabels.containsKey(key)) {
      found.add(new Label(deployLabels.get(key), deployLabelsField));
    }
    return found;
  }

  static ComposeService read(String name, Field service) throws BadInputException {
    if (!service.isMap()) {
      throw service.fail("is " + Field.describe(service.value()) + ", but Compose expects the service's definition",
          "write a mapping with image:, volumes: and so on");
    }
    String image = service.get("image").text("an image reference");
    Field labels = service.get("labels");
    List<ServiceMount> mounts = new ArrayList<>();
    for (Field item : service.get("volumes").items("a list of mounts (SOURCE:TARGET or type/source/target)")) {
      if (!item.isAbsent()) {
        mounts.add(ServiceMount.read(item));
      }
    }
    Field volumesFromField = service.get("volumes_from");
    List<String> volumesFrom = new ArrayList<>();
    for (Field item : volumesFromField.items("a list of service names")) {
      String text = item.text("a service name, optionally with :ro or :rw");
      if (text != null && !text.startsWith("container:")) {
        volumesFrom.add(text.startsWith("service:") ? text.substring("service:".length()).split(":")[0]
            : text.split(":")[0]);
      }
    }
    SwarmDeploy deploy = SwarmDeploy.read(service);
    Field deployLabels = service.get("deploy").get("labels");
    return new ComposeService(name, image, labels.listOrDict(), labels, deployLabels.listOrDict(), deployLabels,
        List.copyOf(mounts), List.copyOf(volumesFrom), volumesFromField, deploy, service);
  }
}
