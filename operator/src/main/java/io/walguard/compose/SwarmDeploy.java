package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What a service's {@code deploy:} (and {@code scale:}) says about where its containers can run.
 *
 * @param mode {@code replicated}, {@code global}, {@code replicated-job} or {@code global-job}
 * @param replicas how many containers (1 unless {@code deploy.replicas} or {@code scale} says otherwise)
 * @param replicasField which field set {@code replicas}, for reasons; null when neither did
 * @param hasPlacement whether {@code deploy.placement} is there (which makes the file a Swarm stack)
 * @param pins the placement constraints that name one node ({@code node.hostname ==}, {@code node.id ==},
 *     {@code node.ip ==} one address)
 * @param startFirstUpdate the field ({@code update_config} or {@code rollback_config}) whose {@code order:
 *     start-first} starts a new task before the old one stops, or null
 * @param updateConfig the first of {@code update_config} and {@code rollback_config} that is set, or null: only
 *     {@code docker stack deploy} acts on them, so they make the file a Swarm stack
 */
record SwarmDeploy(String mode, int replicas, String replicasField, boolean hasPlacement, List<NodePin> pins,
    String startFirstUpdate, String updateConfig) {

  private static final Set<String> MODES = Set.of("replicated", "global", "replicated-job", "global-job");
  private static final Set<String> ORDERS = Set.of("start-first", "stop-first");
  private static final Set<String> PIN_KEYS = Set.of("node.hostname", "node.id", "node.ip");
  private static final String OCTET = "(25[0-5]|2[0-4][0-9]|1[0-9][0-9]|[1-9]?[0-9])";
  private static final Pattern IPV4 = Pattern.compile("(" + OCTET + "\\.){3}" + OCTET);

  /** A constraint that keeps every task on one node. Swarm compares keys and values without case. */
  record NodePin(String key, String value) {
    static NodePin of(String key, String value) {
      return new NodePin(key.toLowerCase(Locale.ROOT), value);
    }

    boolean sameNode(NodePin other) {
      return key.equals(other.key) && value.equalsIgnoreCase(other.value);
    }

    @Override
    public String toString() {
      return key + " == " + value;
    }
  }

  boolean global() {
    return mode.startsWith("global");
  }

  Optional<NodePin> pin() {
    return pins.stream().findFirst();
  }

  static SwarmDeploy read(Field service) throws BadInputException {
    Field deploy = service.get("deploy");
    if (!deploy.isAbsent() && !deploy.isMap()) {
      throw deploy.fail("is " + Field.describe(deploy.value()) + ", but Compose expects a mapping",
          "write deploy: with mode:, replicas:, placement: ... under it");
    }
    String mode = Optional.ofNullable(deploy.get("mode").text("replicated or global")).orElse("replicated");
    if (!MODES.contains(mode)) {
      throw deploy.get("mode").fail("is " + Quoted.quoted(mode), "use replicated or global");
    }
    Optional<Integer> replicas = deploy.get("replicas").wholeNumber("write e.g. replicas: 2");
    Optional<Integer> scale = service.get("scale").wholeNumber("write e.g. scale: 2");
    if (replicas.isPresent() && scale.isPresent() && !replicas.equals(scale)) {
      throw service.get("scale").fail("is " + scale.get() + " but deploy.replicas is " + replicas.get(),
          "Compose refuses distinct values: keep one of them");
    }
    for (Optional<Integer> count : List.of(replicas, scale)) {
      if (count.isPresent() && count.get() < 0) {
        throw (replicas.isPresent() ? deploy.get("replicas") : service.get("scale"))
            .fail("is negative", "use 0 or more");
      }
    }
    String replicasField = replicas.isPresent() ? "deploy.replicas" : scale.isPresent() ? "scale" : null;
    int count = replicas.or(() -> scale).orElse(1);

    Field placement = deploy.get("placement");
    List<NodePin> pins = new ArrayList<>();
    for (Field constraint : placement.get("constraints").items("a list of constraints such as"
        + " node.hostname == node-1")) {
      pin(constraint).ifPresent(pins::add);
    }
    String startFirst = null;
    String updateConfig = null;
    for (String field : List.of("update_config", "rollback_config")) {
      if (updateConfig == null && !deploy.get(field).isAbsent()) {
        updateConfig = field;
      }
      Field order = deploy.get(field).get("order");
      String value = order.text("start-first or stop-first");
      if (value != null && !ORDERS.contains(value)) {
        throw order.fail("is " + Quoted.quoted(value), "use start-first or stop-first");
      }
      if ("start-first".equals(value) && startFirst == null) {
        startFirst = field;
      }
    }
    return new SwarmDeploy(mode, count, replicasField, !placement.isAbsent(), List.copyOf(pins), startFirst,
        updateConfig);
  }

  /** Reads a constraint as Swarm does ({@code key == value} or {@code key != value}); only some name one node. */
  private static Optional<NodePin> pin(Field constraint) throws BadInputException {
    String text = constraint.text("a constraint such as node.hostname == node-1");
    if (text == null) {
      return Optional.empty();
    }
    boolean equal = text.contains("==");
    if (!equal && !text.contains("!=")) {
      throw constraint.fail(Quoted.quoted(text) + " has no == or !=", "write e.g. node.hostname == node-1");
    }
    String[] sides = text.split(equal ? "==" : "!=", 2);
    String key = sides[0].trim().toLowerCase(Locale.ROOT);
    String value = sides[1].trim();
    if (key.isEmpty() || value.isEmpty()) {
      throw constraint.fail(Quoted.quoted(text) + " is not a constraint", "write e.g. node.hostname == node-1");
    }
    if (!equal || !PIN_KEYS.contains(key) || (key.equals("node.ip") && !isOneAddress(value))) {
      return Optional.empty();
    }
    return Optional.of(NodePin.of(key, value));
  }

  /** One IPv4 or IPv6 address, not a CIDR range (which would allow several nodes). */
  private static boolean isOneAddress(String value) {
    return IPV4.matcher(value).matches() || (value.contains(":") && value.matches("[0-9A-Fa-f:.]+"));
  }
}
