package io.walguard.placement;

import io.walguard.api.SqliteDatabase;
import io.walguard.core.Facts;

/** Which pods open a database's claim, and how many nodes can hold one at the same time, now and during rollouts. */
public final class PlacementAnalyzer {

  public Placement analyze(Facts facts, SqliteDatabase database) {
    throw new UnsupportedOperationException("PlacementAnalyzer.analyze");
  }
}
