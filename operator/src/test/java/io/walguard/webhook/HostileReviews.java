package io.walguard.webhook;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.fabric8.kubernetes.api.model.HasMetadata;
import io.fabric8.kubernetes.api.model.PersistentVolumeClaimBuilder;
import io.fabric8.kubernetes.api.model.PodBuilder;
import io.fabric8.kubernetes.api.model.apps.DaemonSetBuilder;
import io.fabric8.kubernetes.api.model.apps.DeploymentBuilder;
import io.fabric8.kubernetes.api.model.apps.StatefulSetBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.CronJobBuilder;
import io.fabric8.kubernetes.api.model.batch.v1.JobBuilder;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * A seeded source of malformed and hostile AdmissionReview bodies: truncated JSON, flipped bytes, missing fields,
 * wrong types, wrong kinds, deep nesting, huge objects, odd unicode and invalid UTF-8, plus well-formed reviews of
 * every kind the webhook judges (with odd names), so that the judging path is exercised too.
 */
final class HostileReviews {

  enum Category {
    VALID, TRUNCATED, FLIPPED_BYTES, MISSING_FIELD, WRONG_TYPE, WRONG_KIND, DEEP_NESTING, HUGE, UNICODE, GARBAGE,
    ODD_NUMBERS, ODD_SPECS
  }

  record Sample(Category category, byte[] body) {}

  private static final ObjectMapper JSON = new ObjectMapper();
  private static final JsonNodeFactory F = JsonNodeFactory.instance;
  private static final String[] CLAIMS = {"data", "db", "grafana-data", "local-data", "www-web-0", "nope"};

  private final SplittableRandom random;
  private final int maxBodyBytes;
  private final double hugeShare;

  /**
   * @param hugeShare the share of huge documents (they cost megabytes each, so long runs keep it small)
   */
  HostileReviews(long seed, int maxBodyBytes, double hugeShare) {
    this.random = new SplittableRandom(seed);
    this.maxBodyBytes = maxBodyBytes;
    this.hugeShare = hugeShare;
  }

  Sample next() {
    if (random.nextDouble() < hugeShare) {
      return new Sample(Category.HUGE, huge());
    }
    Category c = Category.values()[random.nextInt(Category.values().length)];
    return switch (c) {
      case VALID, HUGE -> new Sample(Category.VALID, bytes(validReview()));
      case TRUNCATED -> {
        byte[] b = bytes(validReview());
        yield new Sample(c, java.util.Arrays.copyOf(b, random.nextInt(b.length)));
      }
      case FLIPPED_BYTES -> {
        byte[] b = bytes(validReview());
        for (int i = 0, n = 1 + random.nextInt(8); i < n; i++) {
          b[random.nextInt(b.length)] = (byte) random.nextInt(256);
        }
        yield new Sample(c, b);
      }
      case MISSING_FIELD -> {
        ObjectNode review = validReview();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          removeRandomField(review);
        }
        yield new Sample(c, bytes(review));
      }
      case WRONG_TYPE -> {
        ObjectNode review = validReview();
        for (int i = 0, n = 1 + random.nextInt(3); i < n; i++) {
          replaceRandomValue(review);
        }
        yield new Sample(c, bytes(review));
      }
      case WRONG_KIND -> new Sample(c, bytes(wrongKind()));
      case DEEP_NESTING -> new Sample(c, deep());
      case UNICODE -> new Sample(c, unicode());
      case GARBAGE -> new Sample(c, garbage());
      case ODD_NUMBERS -> new Sample(c, oddNumbers());
      case ODD_SPECS -> new Sample(c, bytes(oddSpec()));
    };
  }

  // ---- well-formed reviews ----

  ObjectNode validReview() {
    return review(pickOperation(), object(), random.nextInt(4) == 0 ? object() : null);
  }

  private String pickOperation() {
    return switch (random.nextInt(10)) {
      case 0 -> "DELETE";
      case 1 -> "CONNECT";
      case 2, 3, 4 -> "UPDATE";
      default -> "CREATE";
    };
  }

  ObjectNode review(String operation, HasMetadata object, HasMetadata oldObject) {
    ObjectNode review = F.objectNode().put("apiVersion", "admission.k8s.io/v1").put("kind", "AdmissionReview");
    ObjectNode request = review.putObject("request").put("uid", "fuzz-" + Long.toHexString(random.nextLong()));
    String apiVersion = object.getApiVersion();
    int slash = apiVersion.indexOf('/');
    request.putObject("kind").put("group", slash < 0 ? "" : apiVersion.substring(0, slash))
        .put("version", apiVersion.substring(slash + 1)).put("kind", object.getKind());
    request.put("namespace", "apps").put("name", object.getMetadata().getName()).put("operation", operation);
    request.putObject("userInfo").put("username", random.nextBoolean() ? "jane"
        : "system:serviceaccount:walguard-system:walguard");
    request.put("dryRun", random.nextInt(5) == 0);
    request.set("object", JSON.valueToTree(object));
    if (oldObject != null && oldObject.getKind().equals(object.getKind())) {
      request.set("oldObject", JSON.valueToTree(oldObject));
    }
    return review;
  }

  HasMetadata object() {
    String name = name();
    String claim = CLAIMS[random.nextInt(CLAIMS.length)];
    Map<String, String> annotations = annotations();
    int replicas = random.nextInt(12) == 0 ? Integer.MAX_VALUE : random.nextInt(4);
    return switch (random.nextInt(10)) {
      case 0 -> new PersistentVolumeClaimBuilder().withNewMetadata().withName(claim).withNamespace("apps")
          .withAnnotations(annotations).endMetadata()
          .withNewSpec().withStorageClassName(random.nextBoolean() ? "efs-sc" : "gp3")
          .withAccessModes(random.nextBoolean() ? "ReadWriteMany" : "ReadWriteOnce").endSpec().build();
      case 1 -> new PodBuilder().withNewMetadata().withName(name).withNamespace("apps").withAnnotations(annotations)
          .endMetadata().withNewSpec().addNewContainer().withName("app").withImage(image()).endContainer()
          .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
          .endVolume().endSpec().build();
      case 2 -> new DeploymentBuilder().withNewMetadata().withName(name).withNamespace("apps")
          .withAnnotations(annotations).endMetadata().withNewSpec().withReplicas(replicas)
          .withNewStrategy().withType(random.nextBoolean() ? "Recreate" : "RollingUpdate").endStrategy()
          .withNewTemplate().withNewMetadata().withAnnotations(annotations()).endMetadata().withNewSpec()
          .addNewContainer().withName("app").withImage(image()).endContainer()
          .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
          .endVolume().endSpec().endTemplate().endSpec().build();
      case 3 -> new StatefulSetBuilder().withNewMetadata().withName(random.nextBoolean() ? "web" : name)
          .withNamespace("apps").withAnnotations(annotations).endMetadata().withNewSpec().withReplicas(replicas)
          .addNewVolumeClaimTemplate().withNewMetadata().withName("www").withAnnotations(annotations()).endMetadata()
          .endVolumeClaimTemplate()
          .withNewTemplate().withNewSpec().addNewContainer().withName("app").withImage(image()).endContainer()
          .endSpec().endTemplate().endSpec().build();
      case 4 -> new DaemonSetBuilder().withNewMetadata().withName(name).withNamespace("apps")
          .withAnnotations(annotations).endMetadata().withNewSpec().withNewTemplate().withNewSpec()
          .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
          .endVolume().endSpec().endTemplate().endSpec().build();
      case 5 -> new JobBuilder().withNewMetadata().withName(name).withNamespace("apps").withAnnotations(annotations)
          .endMetadata().withNewSpec().withParallelism(replicas).withNewTemplate().withNewSpec()
          .addNewVolume().withName("d").withNewPersistentVolumeClaim().withClaimName(claim).endPersistentVolumeClaim()
          .endVolume().endSpec().endTemplate().endSpec().build();
      case 6 -> new CronJobBuilder().withNewMetadata().withName(name).withNamespace("apps")
          .withAnnotations(annotations).endMetadata().withNewSpec().withSchedule("* * * * *")
          .withConcurrencyPolicy(random.nextBoolean() ? "Allow" : "Forbid").withNewJobTemplate().withNewSpec()
          .withNewTemplate().withNewSpec().addNewVolume().withName("d").withNewPersistentVolumeClaim()
          .withClaimName(claim).endPersistentVolumeClaim().endVolume().endSpec().endTemplate().endSpec()
          .endJobTemplate().endSpec().build();
      case 7 -> database(name, claim);
      case 8 -> new io.fabric8.kubernetes.api.model.ConfigMapBuilder().withNewMetadata().withName(name)
          .withNamespace("apps").endMetadata().addToData("k", name).build();
      default -> new PodBuilder().withNewMetadata().withName(name).withNamespace("apps").endMetadata()
          .withNewSpec().addNewContainer().withName("app").withImage(image()).endContainer().endSpec().build();
    };
  }

  private SqliteDatabase database(String name, String claim) {
    SqliteDatabase db = new SqliteDatabase();
    db.setMetadata(new io.fabric8.kubernetes.api.model.ObjectMetaBuilder().withName(name).withNamespace("apps")
        .withAnnotations(annotations()).build());
    SqliteDatabaseSpec spec = new SqliteDatabaseSpec();
    spec.setClaimName(claim);
    spec.setFile("app.db");
    spec.setRemedy(SqliteDatabaseSpec.Remedy.values()[random.nextInt(4)]);
    if (random.nextBoolean()) {
      spec.setApp(random.nextBoolean() ? "grafana" : name);
    }
    db.setSpec(spec);
    return db;
  }

  private Map<String, String> annotations() {
    Map<String, String> a = new java.util.LinkedHashMap<>();
    if (random.nextBoolean()) {
      a.put("walguard.io/sqlite", random.nextInt(4) == 0 ? text(6) : "true");
    }
    if (random.nextInt(4) == 0) {
      a.put("walguard.io/allow-unsafe", text(random.nextInt(300)));
    }
    if (random.nextInt(6) == 0) {
      a.put("walguard.io/paused", "true");
    }
    return a;
  }

  private String name() {
    return switch (random.nextInt(5)) {
      case 0 -> "a".repeat(1 + random.nextInt(253));
      case 1 -> text(1 + random.nextInt(40));
      default -> "app-" + random.nextInt(1000);
    };
  }

  private String image() {
    String[] images = {"grafana/grafana:11.0.0", "vaultwarden/server:1.30", "nginx", "gitea/gitea:1.21", text(10)};
    return images[random.nextInt(images.length)];
  }

  /** Code points from every awkward corner: controls, surrogates (paired and lone), RTL marks, emoji, CJK. */
  String text(int length) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < length; i++) {
      switch (random.nextInt(9)) {
        case 0 -> b.append((char) random.nextInt(0x20));
        case 1 -> b.append((char) (0xD800 + random.nextInt(0x800)));
        case 2 -> b.appendCodePoint(0x1F300 + random.nextInt(0x300));
        case 3 -> b.append('\u202E');
        case 4 -> b.append('\u200B');
        case 5 -> b.appendCodePoint(0x4E00 + random.nextInt(0x5000));
        case 6 -> b.append('"').append('\\');
        default -> b.append((char) ('a' + random.nextInt(26)));
      }
    }
    return b.toString();
  }

  // ---- mutations ----

  private void removeRandomField(ObjectNode root) {
    List<ObjectNode> parents = new ArrayList<>();
    collectObjects(root, parents);
    ObjectNode parent = parents.get(random.nextInt(parents.size()));
    List<String> names = new ArrayList<>();
    parent.fieldNames().forEachRemaining(names::add);
    if (!names.isEmpty()) {
      parent.remove(names.get(random.nextInt(names.size())));
    }
  }

  private void replaceRandomValue(ObjectNode root) {
    List<ObjectNode> parents = new ArrayList<>();
    collectObjects(root, parents);
    ObjectNode parent = parents.get(random.nextInt(parents.size()));
    List<String> names = new ArrayList<>();
    parent.fieldNames().forEachRemaining(names::add);
    if (!names.isEmpty()) {
      parent.set(names.get(random.nextInt(names.size())), randomValue());
    }
  }

  private JsonNode randomValue() {
    return switch (random.nextInt(8)) {
      case 0 -> F.nullNode();
      case 1 -> F.booleanNode(random.nextBoolean());
      case 2 -> F.numberNode(random.nextLong());
      case 3 -> F.numberNode(random.nextDouble() * 1e300);
      case 4 -> F.arrayNode().add(text(3)).add(random.nextInt());
      case 5 -> F.objectNode().put(text(4), text(4));
      case 6 -> F.textNode(text(20));
      default -> F.textNode("");
    };
  }

  private static void collectObjects(JsonNode node, List<ObjectNode> out) {
    if (node instanceof ObjectNode o) {
      out.add(o);
    }
    node.elements().forEachRemaining(child -> collectObjects(child, out));
  }

  private ObjectNode wrongKind() {
    ObjectNode review = validReview();
    ObjectNode request = (ObjectNode) review.get("request");
    String[][] kinds = {{"", "v1", "Deployment"}, {"apps", "v1beta1", "Deployment"}, {"apps", "v1", "Pod"},
        {"batch", "v1beta1", "CronJob"}, {"walguard.io", "v1", "SqliteDatabase"}, {"", "v1", "Secret"},
        {"x", "y", "Z"}, {"", "", ""}, {"apps", "v1", "StatefulSet"}, {"", "v1", "PersistentVolumeClaim"}};
    String[] k = kinds[random.nextInt(kinds.length)];
    request.putObject("kind").put("group", k[0]).put("version", k[1]).put("kind", k[2]);
    if (random.nextBoolean()) {
      review.put("apiVersion", random.nextBoolean() ? "admission.k8s.io/v1beta1" : "v1");
    }
    if (random.nextInt(4) == 0) {
      review.put("kind", "AdmissionResponse");
    }
    return review;
  }

  private byte[] deep() {
    int depth = 50 + random.nextInt(random.nextBoolean() ? 300 : 30_000);
    StringBuilder nested = new StringBuilder();
    boolean arrays = random.nextBoolean();
    for (int i = 0; i < depth; i++) {
      nested.append(arrays ? "[" : "{\"a\":");
    }
    nested.append("1");
    for (int i = 0; i < depth; i++) {
      nested.append(arrays ? "]" : "}");
    }
    ObjectNode review = validReview();
    String json = review.toString();
    // put the nest where a real object has free-form data: the annotations, or the object itself
    String marker = "\"operation\":";
    int at = json.indexOf(marker);
    String body = at < 0 ? nested.toString()
        : json.substring(0, at) + "\"extra\":" + nested + "," + json.substring(at);
    return body.getBytes(StandardCharsets.UTF_8);
  }

  private byte[] huge() {
    ObjectNode review = review("CREATE", object(), null);
    ObjectNode object = (ObjectNode) review.path("request").path("object");
    ObjectNode metadata = object.has("metadata") ? (ObjectNode) object.get("metadata") : object.putObject("metadata");
    switch (random.nextInt(3)) {
      case 0 -> {
        int size = (int) (maxBodyBytes * (0.5 + random.nextDouble() * 0.7));
        metadata.putObject("annotations").put("walguard.io/sqlite", "true").put("big", "x".repeat(size));
      }
      case 1 -> {
        ObjectNode labels = metadata.putObject("labels");
        for (int i = 0, n = 20_000 + random.nextInt(60_000); i < n; i++) {
          labels.put("k" + i, "v");
        }
      }
      default -> {
        ObjectNode spec = object.has("spec") && object.get("spec").isObject() ? (ObjectNode) object.get("spec")
            : object.putObject("spec");
        ArrayNode volumes = spec.putArray("volumes");
        for (int i = 0, n = 5_000 + random.nextInt(20_000); i < n; i++) {
          volumes.addObject().put("name", "v" + i).putObject("persistentVolumeClaim").put("claimName", "c" + i);
        }
      }
    }
    return bytes(review);
  }

  private byte[] unicode() {
    ObjectNode review = validReview();
    ObjectNode request = (ObjectNode) review.get("request");
    switch (random.nextInt(5)) {
      case 0 -> request.put("uid", text(1 + random.nextInt(30)));
      case 1 -> ((ObjectNode) request.path("object").path("metadata")).put("name", text(1 + random.nextInt(60)));
      case 2 -> {
        // invalid UTF-8: lone continuation bytes, overlong encodings, a truncated sequence
        byte[] b = bytes(review);
        byte[][] bad = {{(byte) 0x80}, {(byte) 0xC0, (byte) 0xAF}, {(byte) 0xED, (byte) 0xA0, (byte) 0x80},
            {(byte) 0xF4, (byte) 0x90, (byte) 0x80, (byte) 0x80}, {(byte) 0xE2, (byte) 0x82}};
        byte[] insert = bad[random.nextInt(bad.length)];
        int at = random.nextInt(b.length);
        byte[] out = new byte[b.length + insert.length];
        System.arraycopy(b, 0, out, 0, at);
        System.arraycopy(insert, 0, out, at, insert.length);
        System.arraycopy(b, at, out, at + insert.length, b.length - at);
        return out;
      }
      case 3 -> {
        byte[] b = bytes(review);
        byte[] bom = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};
        byte[] out = new byte[b.length + 3];
        System.arraycopy(bom, 0, out, 0, 3);
        System.arraycopy(b, 0, out, 3, b.length);
        return out;
      }
      default -> {
        // a lone surrogate written as a JSON escape, which is legal JSON but not valid UTF-16 text
        String json = review.toString().replace("\"namespace\":\"apps\"", "\"namespace\":\"a\\ud800pps\"");
        return json.getBytes(StandardCharsets.UTF_8);
      }
    }
    return bytes(review);
  }

  private byte[] garbage() {
    return switch (random.nextInt(6)) {
      case 0 -> new byte[0];
      case 1 -> "null".getBytes(StandardCharsets.UTF_8);
      case 2 -> "\"AdmissionReview\"".getBytes(StandardCharsets.UTF_8);
      case 3 -> "{}".getBytes(StandardCharsets.UTF_8);
      case 4 -> "apiVersion: admission.k8s.io/v1\nkind: AdmissionReview\n".getBytes(StandardCharsets.UTF_8);
      default -> {
        byte[] b = new byte[random.nextInt(4096)];
        for (int i = 0; i < b.length; i++) {
          b[i] = (byte) random.nextInt(256);
        }
        yield b;
      }
    };
  }

  private byte[] oddNumbers() {
    String json = review("CREATE", object(), null).toString();
    String[] numbers = {"1e400", "-1", "99999999999999999999999999", "1.5", "-0", "1" + "0".repeat(200), "NaN",
        "0x10", "Infinity"};
    String n = numbers[random.nextInt(numbers.length)];
    json = json.replaceFirst("\"replicas\":-?\\d+", "\"replicas\":" + n)
        .replaceFirst("\"parallelism\":-?\\d+", "\"parallelism\":" + n);
    if (!json.contains(n)) {
      json = json.replace("\"dryRun\":false", "\"dryRun\":" + n).replace("\"dryRun\":true", "\"dryRun\":" + n);
    }
    return json.getBytes(StandardCharsets.UTF_8);
  }

  private ObjectNode oddSpec() {
    ObjectNode review = review("CREATE", database(name(), CLAIMS[random.nextInt(CLAIMS.length)]), null);
    ObjectNode object = (ObjectNode) review.path("request").path("object");
    switch (random.nextInt(5)) {
      case 0 -> object.remove("spec");
      case 1 -> ((ObjectNode) object.get("spec")).put("claimName", "");
      case 2 -> ((ObjectNode) object.get("spec")).put("remedy", "fly");
      case 3 -> ((ObjectNode) object.get("spec")).putObject("workloadSelector").putArray("matchExpressions")
          .addObject().put("key", "app").put("operator", "Sideways");
      default -> object.put("spec", "not an object");
    }
    return review;
  }

  private static byte[] bytes(JsonNode node) {
    try {
      return JSON.writeValueAsBytes(node);
    } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
      throw new IllegalStateException(e);
    }
  }
}
