package io.walguard.webhook.tls;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ServiceReference;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhook;
import io.fabric8.kubernetes.api.model.admissionregistration.v1.ValidatingWebhookConfiguration;
import io.fabric8.kubernetes.client.KubernetesClient;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.walguard.core.Annotations;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps the caBundle of the ValidatingWebhookConfiguration's webhooks that call walguard's Service equal to
 * walguard's CA certificates, with a JSON patch under field manager {@code walguard} that touches nothing else.
 * Each change is guarded by a {@code test} of the webhook's name, so a configuration that was reordered in between
 * fails the patch instead of receiving a bundle in the wrong place.
 */
final class CaBundle {

  private static final Logger LOG = LoggerFactory.getLogger(CaBundle.class);
  private static final ObjectMapper JSON = new ObjectMapper();

  private final KubernetesClient client;
  private final String configName;
  private final String serviceName;
  private final String serviceNamespace;
  private boolean reportedMissing;

  CaBundle(KubernetesClient client, String configName, String serviceName, String serviceNamespace) {
    this.client = client;
    this.configName = configName;
    this.serviceName = serviceName;
    this.serviceNamespace = serviceNamespace;
  }

  /** Patches the bundle where it differs; returns how many webhooks were changed. */
  int ensure(String caPem) {
    String bundle = Base64.getEncoder().encodeToString(caPem.getBytes(StandardCharsets.UTF_8));
    var resource = client.admissionRegistration().v1().validatingWebhookConfigurations().withName(configName);
    ValidatingWebhookConfiguration config = resource.get();
    if (config == null) {
      if (!reportedMissing) {
        LOG.warn("ValidatingWebhookConfiguration {} not found: the API server will not call the webhook until it"
            + " exists; walguard writes its caBundle as soon as it does", configName);
        reportedMissing = true;
      }
      return 0;
    }
    reportedMissing = false;
    List<ValidatingWebhook> hooks = config.getWebhooks() == null ? List.of() : config.getWebhooks();
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    int changed = 0;
    for (int i = 0; i < hooks.size(); i++) {
      ValidatingWebhook hook = hooks.get(i);
      if (!callsUs(hook) || bundle.equals(hook.getClientConfig().getCaBundle())) {
        continue;
      }
      patch.addObject().put("op", "test").put("path", "/webhooks/" + i + "/name").put("value", hook.getName());
      patch.addObject().put("op", "add").put("path", "/webhooks/" + i + "/clientConfig/caBundle").put("value", bundle);
      changed++;
    }
    if (changed == 0) {
      if (hooks.stream().noneMatch(this::callsUs)) {
        LOG.warn("ValidatingWebhookConfiguration {} has no webhook calling Service {}/{}; caBundle left alone",
            configName, serviceNamespace, serviceName);
      }
      return 0;
    }
    try {
      resource.patch(new PatchContext.Builder().withPatchType(PatchType.JSON).withFieldManager(Annotations.FIELD_MANAGER).build(),
          JSON.writeValueAsString(patch));
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
    LOG.info("caBundle of ValidatingWebhookConfiguration {} updated ({} webhook(s))", configName, changed);
    return changed;
  }

  private boolean callsUs(ValidatingWebhook hook) {
    if (hook == null || hook.getClientConfig() == null) {
      return false;
    }
    ServiceReference s = hook.getClientConfig().getService();
    return s != null && serviceName.equals(s.getName()) && serviceNamespace.equals(s.getNamespace());
  }
}
