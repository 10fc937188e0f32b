package io.walguard.api;

import io.fabric8.kubernetes.api.model.Namespaced;
import io.fabric8.kubernetes.client.CustomResource;
import io.fabric8.kubernetes.model.annotation.Group;
import io.fabric8.kubernetes.model.annotation.Kind;
import io.fabric8.kubernetes.model.annotation.Plural;
import io.fabric8.kubernetes.model.annotation.ShortNames;
import io.fabric8.kubernetes.model.annotation.Singular;
import io.fabric8.kubernetes.model.annotation.Version;
import io.fabric8.crd.generator.annotation.AdditionalPrinterColumn;
import io.fabric8.crd.generator.annotation.PrinterColumnFormat;

/**
 * One SQLite database file on one PersistentVolumeClaim, and walguard's verdict on it.
 */
@Group(SqliteDatabase.GROUP)
@Version(SqliteDatabase.VERSION)
@Kind("SqliteDatabase")
@Plural("sqlitedatabases")
@Singular("sqlitedatabase")
@ShortNames("sqlitedb")
@AdditionalPrinterColumn(name = "Claim", jsonPath = ".spec.claimName", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Storage", jsonPath = ".status.storage.kind", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Verdict", jsonPath = ".status.verdict", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Action", jsonPath = ".status.action", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Nodes", jsonPath = ".status.nodes", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Journal", jsonPath = ".status.journalMode", type = AdditionalPrinterColumn.Type.STRING)
@AdditionalPrinterColumn(name = "Last Checkpoint", jsonPath = ".status.lastCheckpoint.time", type = AdditionalPrinterColumn.Type.DATE,
    format = PrinterColumnFormat.NONE)
@AdditionalPrinterColumn(name = "Age", jsonPath = ".metadata.creationTimestamp", type = AdditionalPrinterColumn.Type.DATE)
public class SqliteDatabase extends CustomResource<SqliteDatabaseSpec, SqliteDatabaseStatus> implements Namespaced {

  public static final String GROUP = "walguard.io";
  public static final String VERSION = "v1alpha1";

  @Override
  protected SqliteDatabaseStatus initStatus() {
    return new SqliteDatabaseStatus();
  }
}
