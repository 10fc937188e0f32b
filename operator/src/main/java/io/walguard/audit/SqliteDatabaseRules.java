package io.walguard.audit;

import io.fabric8.kubernetes.api.model.Quantity;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseSpec;
import io.walguard.apps.AppProfiles;
import java.math.BigDecimal;
import java.util.function.Consumer;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * The SqliteDatabase schema's rules (required fields, patterns and the CEL rules on {@code file}) applied to objects
 * read from manifests, where no API server has checked them. Enum values are checked while reading the object.
 */
public final class SqliteDatabaseRules {

  private static final Pattern CLAIM_NAME = Pattern.compile("^[a-z0-9]([-a-z0-9.]*[a-z0-9])?$");
  private static final Pattern APP = Pattern.compile("^[a-z0-9][-a-z0-9]*$");
  private static final Pattern SCHEDULE =
      Pattern.compile("^(@(yearly|annually|monthly|weekly|daily|midnight|hourly)|(\\S+\\s+){4}\\S+)$");

  private final AppProfiles apps;
  private final Consumer<String> notes;

  public SqliteDatabaseRules(AppProfiles apps, Consumer<String> notes) {
    this.apps = apps;
    this.notes = notes;
  }

  public void check(SqliteDatabase database, Manifests manifests) throws BadInputException {
    String ref = ref(database, manifests.originOf(database));
    SqliteDatabaseSpec spec = database.getSpec();
    if (spec == null) {
      throw bad(manifests.originOf(database), ref + ": spec is missing: set spec.claimName (the PersistentVolumeClaim"
          + " that holds the database) and spec.file (its path inside the volume)");
    }
    Origin at = manifests.originOf(database, "spec");
    String claim = spec.getClaimName();
    if (claim == null || claim.isBlank()) {
      throw bad(at, ref + ": spec.claimName is missing: set it to the PersistentVolumeClaim that holds the database");
    }
    if (claim.length() > 253 || !CLAIM_NAME.matcher(claim).matches()) {
      throw bad(manifests.originOf(database, "spec", "claimName"), ref + ": spec.claimName " + Quoted.quoted(claim)
          + " is not a valid claim name: lower-case letters, digits, '-' and '.', at most 253 characters");
    }
    String file = spec.getFile();
    if (file == null || file.isBlank()) {
      throw bad(at, ref + ": spec.file is missing: set it to the database's path inside the volume, e.g. app.db");
    }
    checkFile(file, manifests.originOf(database, "spec", "file"), ref + ": spec.file");
    if (spec.getApp() != null) {
      if (!APP.matcher(spec.getApp()).matches()) {
        throw bad(manifests.originOf(database, "spec", "app"), ref + ": spec.app " + Quoted.quoted(spec.getApp())
            + " is not a profile name: lower-case letters, digits and '-'");
      }
      if (apps.find(spec.getApp()).isEmpty()) {
        notes.accept(manifests.originOf(database, "spec", "app").describe() + ": " + ref + ": spec.app \""
            + spec.getApp() + "\" is not an app walguard knows (" + apps.all().stream()
                .map(p -> p.name()).sorted().collect(Collectors.joining(", ")) + "): it changes nothing");
      }
    }
    if (spec.getNode() != null && spec.getNode().length() > 253) {
      throw bad(manifests.originOf(database, "spec", "node"), ref + ": spec.node is longer than 253 characters");
    }
    var checkpoint = spec.getCheckpoint();
    if (checkpoint != null) {
      if (checkpoint.getSchedule() != null && !SCHEDULE.matcher(checkpoint.getSchedule()).matches()) {
        throw bad(manifests.originOf(database, "spec", "checkpoint", "schedule"), ref + ": spec.checkpoint.schedule "
            + Quoted.quoted(checkpoint.getSchedule())
            + " is not a cron schedule: five fields, e.g. \"*/15 * * * *\", or @hourly");
      }
      if (checkpoint.getWalSizeLimit() != null && !positive(checkpoint.getWalSizeLimit())) {
        throw bad(manifests.originOf(database, "spec", "checkpoint", "walSizeLimit"), ref
            + ": spec.checkpoint.walSizeLimit " + Quoted.quoted(String.valueOf(checkpoint.getWalSizeLimit()))
            + " must be a positive quantity, e.g. 64Mi");
      }
    }
  }

  /** A database path inside a volume: relative, without {@code ..}. */
  public static void checkFile(String file, Origin origin, String what) throws BadInputException {
    if (file.startsWith("/")) {
      throw bad(origin, what + " " + Quoted.quoted(file) + " is absolute: give the path inside the volume, relative"
          + " to its root (for a volume mounted at /var/lib/grafana, /var/lib/grafana/grafana.db is grafana.db)");
    }
    for (String part : file.split("/")) {
      if (part.equals("..")) {
        throw bad(origin, what + " " + Quoted.quoted(file) + " contains '..': give the path inside the volume,"
            + " relative to its root, without '..'");
      }
    }
    if (file.length() > 4096) {
      throw bad(origin, what + " is longer than 4096 characters");
    }
  }

  private static boolean positive(Quantity quantity) {
    try {
      return quantity.getNumericalAmount().compareTo(BigDecimal.ZERO) > 0;
    } catch (IllegalArgumentException e) {
      return false;
    }
  }

  static String ref(io.fabric8.kubernetes.api.model.HasMetadata object, Origin origin) {
    String ref = object.getKind() + "/" + Quoted.name(object.getMetadata().getName());
    // Without a file to point at, the namespace says which object is meant.
    return origin.file() == null ? ref + " in namespace " + object.getMetadata().getNamespace() : ref;
  }

  private static BadInputException bad(Origin origin, String message) {
    return new BadInputException(origin.describe() + ": " + message);
  }
}
