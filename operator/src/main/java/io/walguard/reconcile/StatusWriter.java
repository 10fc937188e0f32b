package io.walguard.reconcile;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import io.fabric8.kubernetes.client.dsl.base.PatchContext;
import io.fabric8.kubernetes.client.dsl.base.PatchType;
import io.javaoperatorsdk.operator.api.reconciler.Context;
import io.javaoperatorsdk.operator.api.reconciler.UpdateControl;
import io.walguard.api.SqliteDatabase;
import io.walguard.api.SqliteDatabaseStatus;
import java.time.Duration;

/**
 * How a changed status reaches the API server.
 *
 * <p>With server-side apply JOSDK sends the whole status. Without it, walguard sends one JSON patch operation that
 * sets {@code /status} whole. (JOSDK's own JSON patch diffs against the cached object, which for a SqliteDatabase
 * whose status was never written still holds an empty status in memory, so its diff would add fields under a
 * {@code /status} the server does not have.) The status belongs to walguard alone, so no resourceVersion guards it.
 * The write is cached and its own watch event filtered, as JOSDK does for its own writes.
 */
final class StatusWriter {

  // No fieldManager query parameter here: the mock API server routes a status PATCH with a query string to the main
  // resource and drops the status. JOSDK's own JSON patches of the status carry none either; with server-side apply
  // the status goes out under the controller's field manager, walguard.
  private static final PatchContext JSON_PATCH = PatchContext.of(PatchType.JSON);

  private final boolean serverSideApply;

  StatusWriter(boolean serverSideApply) {
    this.serverSideApply = serverSideApply;
  }

  /** Writes {@code status} on {@code db} (a copy JOSDK handed to the reconciler). */
  UpdateControl<SqliteDatabase> write(SqliteDatabase db, SqliteDatabaseStatus status, Context<SqliteDatabase> context) {
    db.setStatus(status);
    if (serverSideApply) {
      return UpdateControl.patchStatus(db);
    }
    var serialization = context.getClient().getKubernetesSerialization();
    ArrayNode patch = JsonNodeFactory.instance.arrayNode();
    PinPatch.add(patch, "/status", serialization.convertValue(status, JsonNode.class));
    String body = patch.toString();
    SqliteDatabase written = context.resourceOperations().resourcePatch(db,
        r -> context.getClient().resource(r).subresource("status").patch(JSON_PATCH, body),
        context.eventSourceRetriever().getControllerEventSource());
    // JOSDK takes the written object as the latest and filters the watch events up to it as walguard's own. A spec or
    // annotation change that a user made during this reconciliation would then never wake it: look again at once.
    if (written != null && new PrimaryChanges().accept(written, db)) {
      return UpdateControl.<SqliteDatabase>noUpdate().rescheduleAfter(Duration.ZERO);
    }
    return UpdateControl.noUpdate();
  }
}
