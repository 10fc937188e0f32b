package io.walguard.webhook;

import com.fasterxml.jackson.core.JacksonException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamConstraintsException;
import com.fasterxml.jackson.databind.DeserializationContext;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonDeserializer;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
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
 * Reads AdmissionReview v1 requests and writes their responses. Input is hostile until proven otherwise, and memory
 * is what a hostile body goes after: a few megabytes of {@code {},{},...} become hundreds of megabytes as a JSON
 * tree or as Kubernetes model objects. So:
 *
 * <ul>
 *   <li>depth, string length, document length and the number of JSON tokens are bounded while parsing;</li>
 *   <li>a first pass streams over the body and reads only the envelope (uid, kind, operation, user ...), noting
 *       where {@code request.object} and {@code request.oldObject} are and how many tokens they hold, so that
 *       {@link Envelope#modelBytes()} says what turning them into model objects may cost before anything is
 *       built;</li>
 *   <li>a second pass, only for kinds walguard judges, reads each object straight into its model class (no JSON
 *       tree in between), and drops fields the model does not know instead of keeping them as maps.</li>
 * </ul>
 *
 * <p>Anything that is not a usable review becomes a {@link BadReviewException} with a message that names the field.
 */
public final class AdmissionReviews {

  public static final String API_VERSION = "admission.k8s.io/v1";
  /** Kubernetes objects nest a few dozen levels at most (managedFields included); deeper input is hostile. */
  static final int MAX_DEPTH = 200;
  /**
   * JSON tokens in one review. A large real workload (dozens of containers, hundreds of environment variables,
   * managedFields of several managers) holds a few thousand; an UPDATE carries the object twice. Beyond this the
   * review is refused (and the API server, with failurePolicy Ignore, admits the object unchecked).
   */
  static final long MAX_TOKENS = 200_000;
  /**
   * Heap a model object may take per JSON token, at most: the costliest input is an array of empty containers
   * ({@code {},} three bytes, two tokens) of which each becomes a Container with a dozen empty lists, about
   * 400 bytes. Strings are counted apart, at two bytes per character.
   */
  static final long MODEL_BYTES_PER_TOKEN = 256;

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

  private final JsonFactory factory;
  private final ObjectMapper mapper;

  public AdmissionReviews(int maxBodyBytes) {
    this.factory = JsonFactory.builder()
        .streamReadConstraints(StreamReadConstraints.builder()
            .maxNestingDepth(MAX_DEPTH)
            .maxNumberLength(64)
            .maxStringLength(maxBodyBytes)
            .maxDocumentLength(maxBodyBytes)
            .maxTokenCount(MAX_TOKENS)
            .build())
        .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
        .build();
    this.mapper = new ObjectMapper(factory)
        .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
        .registerModule(new SimpleModule("walguard-drop-unknown").addDeserializer(Object.class, new Skipped()));
  }

  /**
   * Fields a model class does not declare reach its {@code additionalProperties} as untyped values (maps and lists):
   * walguard never reads them, so they are skipped, not built. Every value typed {@code Object} in the judged
   * models is such a field.
   */
  private static final class Skipped extends JsonDeserializer<Object> {
    @Override
    public Object deserialize(JsonParser p, DeserializationContext ctxt) throws IOException {
      p.skipChildren();
      return null;
    }
  }

  /** Where a nested object lies in the body, and how many tokens it holds. */
  record Span(int offset, int length, long tokens) {}

  /**
   * What the first pass read: the request's envelope, and where its objects are.
   *
   * @param name {@code request.name}, else the object's {@code metadata.name}, else empty
   * @param object {@code request.object}, or null when absent or not an object
   * @param oldObject {@code request.oldObject}, or null
   * @param oldObjectInvalid whether {@code request.oldObject} is there but neither an object nor null
   */
  record Envelope(String uid, String group, String version, String kind, String resource, String subResource,
      String operation, String namespace, String name, boolean dryRun, String username, Span object,
      Span oldObject, boolean oldObjectInvalid) {

    Class<? extends HasMetadata> type() {
      String gvk = group + "/" + version + "/" + kind;
      Class<? extends HasMetadata> type = JUDGED.get(gvk);
      // other subresources (status, say) carry the whole object but change none of what walguard judges
      boolean judged = type != null && subResource.equals(SCALE.equals(gvk) ? "scale" : "")
          && ("CREATE".equals(operation) || "UPDATE".equals(operation));
      return judged ? type : null;
    }

    /** The most heap the model objects of this request may take; 0 when walguard does not judge its kind. */
    long modelBytes() {
      if (type() == null) {
        return 0;
      }
      long bytes = 0;
      for (Span s : new Span[] {object, oldObject}) {
        if (s != null) {
          bytes += 2L * s.length() + MODEL_BYTES_PER_TOKEN * s.tokens();
        }
      }
      return bytes;
    }
  }

  /** Parses a request body. Kinds walguard does not judge come back with a null object. */
  public Admission read(byte[] body) throws BadReviewException {
    return admission(body, scan(body));
  }

  /** The first pass: the envelope, checked, without building any object. */
  Envelope scan(byte[] body) throws BadReviewException {
    EnvelopeReader r = new EnvelopeReader();
    try (JsonParser p = factory.createParser(body)) {
      JsonToken first = p.nextToken();
      if (first != JsonToken.START_OBJECT) {
        if (first != null) {
          // read on, so that invalid JSON is reported as such
          p.skipChildren();
          p.nextToken();
        }
        throw new BadReviewException("request body must be a JSON object: an AdmissionReview of " + API_VERSION);
      }
      r.root(p);
      if (p.nextToken() != null) {
        throw new BadReviewException("request body is not valid JSON: more content after the AdmissionReview");
      }
    } catch (StreamConstraintsException e) {
      throw new BadReviewException("request body is too large or too deep for an AdmissionReview: "
          + Text.firstLine(e.getOriginalMessage()));
    } catch (JacksonException e) {
      throw new BadReviewException("request body is not valid JSON: " + Text.firstLine(e.getOriginalMessage()));
    } catch (IOException e) {
      throw new BadReviewException("request body cannot be read: " + Text.firstLine(e.getMessage()));
    }
    return r.envelope();
  }

  /** The second pass: the objects of a judged kind, read into their model class. */
  Admission admission(byte[] body, Envelope e) throws BadReviewException {
    Class<? extends HasMetadata> type = e.type();
    HasMetadata object = null;
    HasMetadata oldObject = null;
    if (type != null) {
      if (e.object() == null) {
        throw new BadReviewException("request.object is missing: " + e.operation() + " of a " + e.kind()
            + " carries it");
      }
      if (e.oldObjectInvalid()) {
        throw new BadReviewException("request.oldObject must be an object or null");
      }
      object = toModel(body, e.object(), type, e.kind(), "request.object", e.namespace());
      if (e.oldObject() != null) {
        oldObject = toModel(body, e.oldObject(), type, e.kind(), "request.oldObject", e.namespace());
      }
    }
    String name = object != null ? Text.clean(WarningText.nameOf(object), 253)
        : e.name().isEmpty() ? "(unnamed)" : Text.clean(e.name(), 253);
    return new Admission(e.uid(), e.group(), e.version(), e.kind(), e.resource(), e.subResource(), e.operation(),
        e.namespace(), name, e.dryRun(), e.username(), object, oldObject);
  }

  private <T extends HasMetadata> T toModel(byte[] body, Span span, Class<T> type, String kind, String field,
      String namespace) throws BadReviewException {
    T object;
    try {
      object = mapper.readerFor(type).readValue(body, span.offset(), span.length());
    } catch (JsonMappingException e) {
      throw new BadReviewException(field + path(e) + ": " + Text.firstLine(e.getOriginalMessage()));
    } catch (JacksonException | IllegalArgumentException e) {
      throw new BadReviewException(field + " is not a valid " + kind + ": " + Text.firstLine(e.getMessage()));
    } catch (IOException e) {
      throw new BadReviewException(field + " cannot be read: " + Text.firstLine(e.getMessage()));
    }
    if (object.getKind() != null && !object.getKind().equals(kind)) {
      throw new BadReviewException(field + ".kind is " + Text.quote(object.getKind()) + " but request.kind says "
          + kind);
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

  /**
   * Streams over the envelope. Values are kept as {@link Value}s (what the field held) and checked after the whole
   * body has been read, so that invalid JSON anywhere is reported as such before any field is.
   */
  private static final class EnvelopeReader {
    private Value apiVersion = Value.ABSENT;
    private Value kind = Value.ABSENT;
    private Value request = Value.ABSENT;
    private Value uid = Value.ABSENT;
    private Value requestKind = Value.ABSENT;
    private Value group = Value.ABSENT;
    private Value version = Value.ABSENT;
    private Value kindName = Value.ABSENT;
    private Value resource = Value.ABSENT;
    private Value subResource = Value.ABSENT;
    private Value operation = Value.ABSENT;
    private Value namespace = Value.ABSENT;
    private Value name = Value.ABSENT;
    private Value dryRun = Value.ABSENT;
    private Value username = Value.ABSENT;
    private boolean oldObjectInvalid;
    private Span object;
    private Span oldObject;
    private String objectName = "";

    void root(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "apiVersion" -> apiVersion = Value.read(p);
          case "kind" -> kind = Value.read(p);
          case "request" -> {
            request = Value.of(p);
            if (p.currentToken() == JsonToken.START_OBJECT) {
              request(p);
            } else {
              p.skipChildren();
            }
          }
          default -> p.skipChildren();
        }
      }
    }

    private void request(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "uid" -> uid = Value.read(p);
          case "kind" -> {
            requestKind = Value.of(p);
            if (p.currentToken() == JsonToken.START_OBJECT) {
              kind(p);
            } else {
              p.skipChildren();
            }
          }
          case "resource" -> {
            if (p.currentToken() == JsonToken.START_OBJECT) {
              resource(p);
            } else {
              p.skipChildren();
            }
          }
          case "subResource" -> subResource = Value.read(p);
          case "operation" -> operation = Value.read(p);
          case "namespace" -> namespace = Value.read(p);
          case "name" -> name = Value.read(p);
          case "dryRun" -> dryRun = Value.read(p);
          case "userInfo" -> {
            if (p.currentToken() == JsonToken.START_OBJECT) {
              userInfo(p);
            } else {
              p.skipChildren();
            }
          }
          case "object" -> object = objectOrSkip(p, true);
          case "oldObject" -> {
            JsonToken t = p.currentToken();
            oldObject = objectOrSkip(p, false);
            oldObjectInvalid = t != JsonToken.START_OBJECT && t != JsonToken.VALUE_NULL;
          }
          default -> p.skipChildren();
        }
      }
    }

    private void kind(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String field = p.currentName();
        p.nextToken();
        switch (field) {
          case "group" -> group = Value.read(p);
          case "version" -> version = Value.read(p);
          case "kind" -> kindName = Value.read(p);
          default -> p.skipChildren();
        }
      }
    }

    private void resource(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = "resource".equals(p.currentName());
        p.nextToken();
        if (wanted) {
          resource = Value.read(p);
        } else {
          p.skipChildren();
        }
      }
    }

    private void userInfo(JsonParser p) throws IOException {
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        boolean wanted = "username".equals(p.currentName());
        p.nextToken();
        if (wanted) {
          username = Value.read(p);
        } else {
          p.skipChildren();
        }
      }
    }

    private Span objectOrSkip(JsonParser p, boolean noteName) throws IOException {
      if (p.currentToken() == JsonToken.START_OBJECT) {
        return object(p, noteName);
      }
      p.skipChildren();
      return null;
    }

    /**
     * Walks an object to its end, counting its tokens, and notes {@code metadata.name} (the name of an object of a
     * kind walguard does not judge, for messages). The parser stands on its START_OBJECT.
     */
    private Span object(JsonParser p, boolean noteName) throws IOException {
      int start = (int) p.currentTokenLocation().getByteOffset();
      long tokens = 1;
      int depth = 1;
      boolean inMetadata = false;
      while (depth > 0) {
        JsonToken t = p.nextToken();
        tokens++;
        if (t == null) {
          throw new IOException("unexpected end of input");
        }
        if (t.isStructStart()) {
          if (depth == 1) {
            inMetadata = t == JsonToken.START_OBJECT && "metadata".equals(p.currentName());
          }
          depth++;
        } else if (t.isStructEnd()) {
          depth--;
          if (depth == 1) {
            inMetadata = false;
          }
        } else if (noteName && inMetadata && depth == 2 && t == JsonToken.VALUE_STRING
            && "name".equals(p.currentName())) {
          objectName = p.getText();
        }
      }
      int end = (int) p.currentTokenLocation().getByteOffset() + 1;
      return new Span(start, end - start, tokens);
    }

    Envelope envelope() throws BadReviewException {
      if (!API_VERSION.equals(apiVersion.text()) || !"AdmissionReview".equals(kind.text())) {
        throw new BadReviewException("expected apiVersion " + API_VERSION + " and kind AdmissionReview, got "
            + Text.quote(apiVersion.text()) + " and " + Text.quote(kind.text()));
      }
      if (request.token() != JsonToken.START_OBJECT) {
        throw new BadReviewException("request is missing: an AdmissionReview sent to a webhook carries one");
      }
      String id = required(uid, "request.uid");
      if (!Text.isClean(id) || id.length() > 256) {
        throw new BadReviewException("request.uid must be a short printable string, e.g. a UUID");
      }
      if (requestKind.token() != JsonToken.START_OBJECT) {
        throw new BadReviewException("request.kind is missing: it must be {group, version, kind}");
      }
      String g = optional(group, "request.kind.group");
      String v = required(version, "request.kind.version");
      String k = required(kindName, "request.kind.kind");
      String op = required(operation, "request.operation");
      String ns = optional(namespace, "request.namespace");
      String sub = optional(subResource, "request.subResource");
      String requestName = name.text() == null || name.text().isEmpty() ? objectName : name.text();
      boolean dry = dryRun.token() == JsonToken.VALUE_TRUE || "true".equalsIgnoreCase(dryRun.text());
      String user = username.scalar() == null ? "" : username.scalar();
      String res = resource.text() == null ? "" : resource.text();
      return new Envelope(id, g, v, k, res, sub, op, ns, requestName, dry, user, object, oldObject,
          oldObjectInvalid);
    }

    private static String required(Value value, String name) throws BadReviewException {
      if (value.text() == null || value.text().isEmpty()) {
        throw new BadReviewException(name + " must be a non-empty string");
      }
      return value.text();
    }

    private static String optional(Value value, String name) throws BadReviewException {
      if (value.token() == null || value.token() == JsonToken.VALUE_NULL) {
        return "";
      }
      if (value.text() == null) {
        throw new BadReviewException(name + " must be a string");
      }
      return value.text();
    }
  }

  /**
   * One field's value as the first pass saw it: its first token, its text when it is a string, and the text of any
   * other scalar.
   */
  private record Value(JsonToken token, String text, String scalar) {
    static final Value ABSENT = new Value(null, null, null);

    /** The value the parser stands on, which stays there (the caller descends into a structure or skips it). */
    static Value of(JsonParser p) throws IOException {
      JsonToken t = p.currentToken();
      if (t == JsonToken.VALUE_STRING) {
        String s = p.getText();
        return new Value(t, s, s);
      }
      if (t.isScalarValue()) {
        return new Value(t, null, t == JsonToken.VALUE_NULL ? null : p.getText());
      }
      return new Value(t, null, null);
    }

    /** The value, with the parser moved past a structure. */
    static Value read(JsonParser p) throws IOException {
      Value v = of(p);
      p.skipChildren();
      return v;
    }
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
