package io.walguard.proof;

/** The two journal modes the premise compares. */
enum JournalMode {
  WAL,
  DELETE
}
