package io.walguard.reconcile;

import io.fabric8.kubernetes.api.model.HasMetadata;
import io.javaoperatorsdk.operator.api.config.informer.InformerEventSourceConfiguration;
import io.javaoperatorsdk.operator.api.reconciler.EventSourceContext;
import io.javaoperatorsdk.operator.processing.event.Event;
import io.javaoperatorsdk.operator.processing.event.ResourceID;
import io.javaoperatorsdk.operator.processing.event.source.SecondaryToPrimaryMapper;
import io.javaoperatorsdk.operator.processing.event.source.informer.InformerEventSource;
import io.walguard.api.SqliteDatabase;
import java.util.HashSet;
import java.util.Set;
import java.util.function.Consumer;

/**
 * An informer over one kind of object that wakes the databases an object concerns, before and after a change: a
 * Deployment that stops mounting a claim must wake that claim's database too, which the new object alone would not.
 * It also shows every added or changed object to an observer (the opt-in watcher), which must not block.
 */
final class WatchedSource<R extends HasMetadata> extends InformerEventSource<R, SqliteDatabase> {

  private final SecondaryToPrimaryMapper<R> mapper;
  private final Consumer<R> observer;

  WatchedSource(InformerEventSourceConfiguration<R> configuration, EventSourceContext<SqliteDatabase> context,
      Consumer<R> observer) {
    super(configuration, context);
    this.mapper = configuration.getSecondaryToPrimaryMapper();
    this.observer = observer;
  }

  @Override
  public void onAdd(R resource) {
    super.onAdd(resource);
    observer.accept(resource);
  }

  @Override
  public void onUpdate(R older, R newer) {
    super.onUpdate(older, newer);
    Set<ResourceID> before = new HashSet<>(mapper.toPrimaryResourceIDs(older));
    if (!before.isEmpty()) {
      before.removeAll(mapper.toPrimaryResourceIDs(newer));
      var handler = getEventHandler();
      if (handler != null) {
        before.forEach(id -> handler.handleEvent(new Event(id)));
      }
    }
    observer.accept(newer);
  }
}
