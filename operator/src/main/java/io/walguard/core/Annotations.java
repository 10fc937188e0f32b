package io.walguard.core;

/** The {@code walguard.io/} annotations and labels (DESIGN.md section 2): a contract with users and tools. */
public final class Annotations {
  public static final String PREFIX = "walguard.io/";
  /** {@code "true"} on a PVC, workload or pod template: this claim holds a SQLite database. */
  public static final String SQLITE = PREFIX + "sqlite";
  /** The database file inside the volume, for claims opted in with {@link #SQLITE}. */
  public static final String SQLITE_FILE = PREFIX + "sqlite-file";
  /** {@code local|network|fuse} on a StorageClass or PV: overrides the classifier. */
  public static final String STORAGE = PREFIX + "storage";
  /** On a workload walguard pinned: the node its pod template is pinned to. */
  public static final String PINNED_NODE = PREFIX + "pinned-node";
  /** {@code "true"} on a SqliteDatabase: report only, change nothing. */
  public static final String PAUSED = PREFIX + "paused";
  /** {@code "true"} on a SqliteDatabase: run a filesystem probe on its claim. */
  public static final String PROBE = PREFIX + "probe";
  /** A reason, on any object: let it through the webhook even when unsafe. */
  public static final String ALLOW_UNSAFE = PREFIX + "allow-unsafe";
  /** Namespace label {@code warn|deny}: the webhook's mode there. */
  public static final String ENFORCE = PREFIX + "enforce";
  /** Label of what walguard creates: {@code app.kubernetes.io/managed-by: walguard}. */
  public static final String MANAGED_BY = "app.kubernetes.io/managed-by";
  /** The value of {@link #MANAGED_BY} on what walguard creates. */
  public static final String MANAGER = "walguard";
  /** Label of a SqliteDatabase walguard created for a claim opted in with {@link #SQLITE}: the claim. */
  public static final String DATABASE = PREFIX + "database";
  /** Field manager of every patch walguard makes. */
  public static final String FIELD_MANAGER = "walguard";

  private Annotations() {}
}
