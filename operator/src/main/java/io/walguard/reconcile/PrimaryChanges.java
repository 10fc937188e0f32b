package io.walguard.reconcile;

import io.javaoperatorsdk.operator.processing.event.source.filter.OnUpdateFilter;
import io.walguard.api.SqliteDatabase;
import java.util.Objects;

/**
 * Which updates of a SqliteDatabase wake its reconciler: spec (generation), annotations such as
 * {@code walguard.io/paused}, labels, finalizers and deletion. A status write, walguard's own included, does not.
 */
final class PrimaryChanges implements OnUpdateFilter<SqliteDatabase> {

  @Override
  public boolean accept(SqliteDatabase newer, SqliteDatabase older) {
    if (older == null) {
      return true;
    }
    var a = newer.getMetadata();
    var b = older.getMetadata();
    return !Objects.equals(a.getGeneration(), b.getGeneration())
        || !Objects.equals(a.getAnnotations(), b.getAnnotations())
        || !Objects.equals(a.getLabels(), b.getLabels())
        || !Objects.equals(a.getFinalizers(), b.getFinalizers())
        || !Objects.equals(a.getDeletionTimestamp(), b.getDeletionTimestamp());
  }
}
