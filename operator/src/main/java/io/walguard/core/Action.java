package io.walguard.core;

/**
 * What walguard does (or, in audit, would do) about the database.
 *
 * <p>{@code observe} means report and warn, change nothing. A database that is safe because walguard keeps it so
 * keeps the action {@code pin} or {@code journal}, so the remedy stays visible in every door.
 */
public enum Action {
  none, pin, journal, observe
}
