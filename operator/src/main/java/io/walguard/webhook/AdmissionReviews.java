package io.walguard.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.ObjectMeta;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaim;
import io.fabric8.kubernetes.api.model.Pod;
import io.fabric8.kubernetes.api.model.apps.DaemonSet;
import io.fabric8.kubernetes.api.model.apps.Deployment;
import io.fabric8.kubernetes.api.model.apps.ReplicaSet;
import io.fabric8.kubernetes.api.model.apps.StatefulSet;
import io.fabric8.kubernetes.api.model.autoscaling.v1.Scale;
import io.fabric8.kubernetes.api.model.batch.v1.CronJob;
import io.fabric8.kubernetes.api.model.batch.v1.Job;
import io.walguard.api.SqliteDatabase;
import java.io.IOException;
import java.util.Map;

/**
 * Reads AdmissionReview v1 requests and writes their responses. Input is hostile until proven otherwise: depth,
 * number and string sizes are bounded while parsing, and anything that is not a usable review becomes a
 * {@link BadReviewException} with a message that names the field.
 */
public final class AdmissionReviews {

  public static final String API_VERSION = "admission.k8s.io/v1";
  /** Kubernetes objects nest a few dozen levels at most (managedFields included); deeper input is hostile. */
  static final int MAX_DEPTH = 200;
  private static final String SCALE = "autoscaling/v1/Scale";

  /**
   * The kinds walguard judges, by {@code group/version/kind}: what the ValidatingWebhookConfiguration routes. A Scale
   * comes from the {@code scale} subresource of Deployments, StatefulSets and ReplicaSets.
   */
  private static final Map<String, Class<? extends HasMetadata>> JUDGED = Map.of(
      "/v1/PersistentVolumeClaim", PersistentVolumeClaim.class,
      "/v1/Pod", Pod.class,
      "apps/v1/Deployment", Deployment.class,
      "apps/v1/StatefulSet", StatefulSet.class,
      "apps/v1/DaemonSet", DaemonSet.class,
      "apps/v1/ReplicaSet", ReplicaSet.class,
      SCALE, Scale.class,
      "batch/v1/Job", Job.class,
      "batch/v1/CronJob", CronJob.class,
      SqliteDatabase.GROUP + "/" + SqliteDatabase.VERSION + "/SqliteDatabase", SqliteDatabase.class);

  private final ObjectMapper reader;
  private final ObjectMapper mapper;

  public AdmissionReviews(int maxBodyBytes) {
    JsonFactory factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxNumberLength(64)
            .maxStringLength(maxBodyBytes)
            .maxDocumentLength(maxBodyBytes)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.reader = new ObjectMapper(factory).enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS);
    // model deserializers (Quantity, IntOrString) read nested trees themselves: the trailing-token check must not
    // apply inside them
    this.mapper = new ObjectMapper(factory).disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES);
  }

  /** Parses a request body. Kinds walguard does not judge come back with a null object. */
  public Admission read(byte[] body) throws BadReviewException {
    JsonNode root;
    try {
      root = reader.readTree(body);
    } catch (JacksonException e) {
      throw new BadReviewException("request body is not valid JSON: " + Text.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BadReviewException("request body cannot be read: " + Text.firstLine(e.getMessage()));
    }
    if (root == null || !root.isObject()) {
      throw new BadReviewException("request body must be a JSON object: an AdmissionReview of " + API_VERSION);
    }
    if (!API_VERSION.equals(text(root, "apiVersion")) || !"AdmissionReview".equals(text(root, "kind"))) {
      throw new BadReviewException("expected apiVersion " + API_VERSION + " and kind AdmissionReview, got "
          + Text.quote(text(root, "apiVersion")) + " and " + Text.quote(text(root, "kind")));
    }
    JsonNode request = root.get("request");
    if (request == null || !request.isObject()) {
      throw new BadReviewException("request is missing: an AdmissionReview sent to a webhook carries one");
    }
    String uid = requiredText(request, "uid");
    if (!Text.isClean(uid) || uid.length() > 256) {
      throw new BadReviewException("request.uid must be a short printable string, e.g. a UUID");
    }
    JsonNode kindNode = request.get("kind");
    if (kindNode == null || !kindNode.isObject()) {
      throw new BadReviewException("request.kind is missing: it must be {group, version, kind}");
    }
    String group = optionalText(kindNode, "group", "request.kind.group");
    String version = requiredText(kindNode, "version", "request.kind.version");
    String kind = requiredText(kindNode, "kind", "request.kind.kind");
    String operation = requiredText(request, "operation");
    String namespace = optionalText(request, "namespace", "request.namespace");
    boolean dryRun = request.path("dryRun").asBoolean(false);
    String username = request.path("userInfo").path("username").asText("");
    String resource = request.path("resource").path("resource").asText("");
    String subResource = optionalText(request, "subResource", "request.subResource");

    String gvk = group + "/" + version + "/" + kind;
    Class<? extends HasMetadata> type = JUDGED.get(gvk);
    // other subresources (status, say) carry the whole object but change none of what walguard judges
    boolean judged = type != null && subResource.equals(SCALE.equals(gvk) ? "scale" : "")
        && ("CREATE".equals(operation) || "UPDATE".equals(operation));
    HasMetadata object = null;
    HasMetadata oldObject = null;
    if (judged) {
      JsonNode objectNode = request.get("object");
      if (objectNode == null || !objectNode.isObject()) {
        throw new BadReviewException("request.object is missing: " + operation + " of a " + kind + " carries it");
      }
      object = toModel(objectNode, type, kind, "request.object", namespace);
      JsonNode oldNode = request.get("oldObject");
      if (oldNode != null && oldNode.isObject()) {
        oldObject = toModel(oldNode, type, kind, "request.oldObject", namespace);
      } else if (oldNode != null && !oldNode.isNull()) {
        throw new BadReviewException("request.oldObject must be an object or null");
      }
    }
    String name = object != null ? Text.clean(WarningText.nameOf(object), 253) : nameIn(request);
    return new Admission(uid, group, version, kind, resource, subResource, operation, namespace, name, dryRun, username,
        object, oldObject);
  }

  private static String nameIn(JsonNode request) {
    String name = text(request, "name");
    if (name == null || name.isEmpty()) {
      name = request.path("object").path("metadata").path("name").asText("");
    }
    return name.isEmpty() ? "(unnamed)" : Text.clean(name, 253);
  }

  private <T extends HasMetadata> T toModel(JsonNode node, Class<T> type, String kind, String field, String namespace)
      throws BadReviewException {
    String objectKind = text(node, "kind");
    if (objectKind != null && !objectKind.equals(kind)) {
      throw new BadReviewException(field + ".kind is " + Text.quote(objectKind) + " but request.kind says " + kind);
    }
    JsonNode metadata = node.get("metadata");
    if (metadata != null && !metadata.isObject() && !metadata.isNull()) {
      throw new BadReviewException(field + ".metadata must be an object");
    }
    T object;
    try {
      object = mapper.treeToValue(node, type);
    } catch (JsonMappingException e) {
      throw new BadReviewException(field + path(e) + ": " + Text.firstLine(e.getOriginalMessage()));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new BadReviewException(field + " is not a valid " + kind + ": " + Text.firstLine(e.getMessage()));
    }
    if (object.getMetadata() == null) {
      object.setMetadata(new ObjectMeta());
    }
    String ns = object.getMetadata().getNamespace();
    if ((ns == null || ns.isEmpty()) && namespace != null && !namespace.isEmpty()) {
      object.getMetadata().setNamespace(namespace);
    }
    return object;
  }

  private static String path(JsonMappingException e) {
    StringBuilder b = new StringBuilder();
    for (JsonMappingException.Reference r : e.getPath()) {
      if (r.getFieldName() != null) {
        b.append('.').append(r.getFieldName());
      } else if (r.getIndex() >= 0) {
        b.append('[').append(r.getIndex()).append(']');
      }
    }
    return Text.clean(b.toString(), 200);
  }

  private static String text(JsonNode node, String field) {
    JsonNode v = node.get(field);
    return v != null && v.isTextual() ? v.textValue() : null;
  }

  private static String requiredText(JsonNode node, String field) throws BadReviewException {
    return requiredText(node, field, "request." + field);
  }

  private static String requiredText(JsonNode node, String field, String name) throws BadReviewException {
    JsonNode v = node.get(field);
    if (v == null || !v.isTextual() || v.textValue().isEmpty()) {
      throw new BadReviewException(name + " must be a non-empty string");
    }
    return v.textValue();
  }

  private static String optionalText(JsonNode node, String field, String name) throws BadReviewException {
    JsonNode v = node.get(field);
    if (v == null || v.isNull()) {
      return "";
    }
    if (!v.isTextual()) {
      throw new BadReviewException(name + " must be a string");
    }
    return v.textValue();
  }

  /** The response document for a request. */
  public byte[] write(String uid, AdmissionDecision decision) {
    JsonNodeFactory f = JsonNodeFactory.instance;
    ObjectNode response = f.objectNode();
    response.put("uid", uid);
    response.put("allowed", decision.allowed());
    if (!decision.warnings().isEmpty()) {
      ArrayNode warnings = response.putArray("warnings");
      decision.warnings().forEach(w -> warnings.add(Text.clean(w, WarningText.MAX_LENGTH)));
    }
    if (!decision.allowed()) {
      ObjectNode status = response.putObject("status");
      status.putObject("metadata");
      status.put("status", "Failure");
      status.put("reason", "Forbidden");
      status.put("code", 403);
      status.put("message", Text.clean(decision.message(), 4000));
    }
    ObjectNode review = f.objectNode();
    review.put("apiVersion", API_VERSION);
    review.put("kind", "AdmissionReview");
    review.set("response", response);
    try {
      return mapper.writeValueAsBytes(review);
    } catch (JacksonException e) {
      throw new IllegalStateException("cannot write an AdmissionReview response", e);
    }
  }
}
