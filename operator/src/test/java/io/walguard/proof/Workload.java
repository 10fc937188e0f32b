package io.walguard.proof;

/**
 * What each of the two writers does in one trial: commit {@code rowsPerWriter} numbered rows, one transaction each, and
 * in WAL mode ask for a RESTART checkpoint every {@code checkpointEvery} commits (0 = never).
 */
record Workload(int rowsPerWriter, int checkpointEvery) {}
