package io.walguard.storage;

import io.walguard.api.SqliteDatabase;
import io.walguard.core.Facts;

/**
 * What backs a database's claim: ground truth first, heuristics after, and always the evidence (DESIGN.md section 5).
 */
public final class StorageClassifier {

  private final DriverTable drivers;

  public StorageClassifier(DriverTable drivers) {
    this.drivers = drivers;
  }

  public StorageClassification classify(Facts facts, SqliteDatabase database) {
    throw new UnsupportedOperationException("StorageClassifier.classify");
  }
}
