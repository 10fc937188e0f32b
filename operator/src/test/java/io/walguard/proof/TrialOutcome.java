package io.walguard.proof;

/**
 * What one trial left behind. {@code committed} counts the rows whose COMMIT SQLite acknowledged to a writer;
 * {@code lost} counts those of them that a fresh process opening the files afterwards does not find. {@code corrupt}
 * means {@code PRAGMA integrity_check} did not answer "ok" or the rows could not be read at all;
 * {@code writerSawCorruption} that SQLite told a writer, during the trial, that the database is malformed.
 * {@code refused} is set when process B could not even open the database in this arrangement. {@code detail} says it
 * all in a sentence.
 */
record TrialOutcome(
    int committed, int lost, boolean corrupt, boolean writerSawCorruption, String refused, String detail) {

  static TrialOutcome refused(String why) {
    return new TrialOutcome(0, 0, false, false, why, why);
  }

  boolean lostRows() {
    return lost > 0;
  }

  /** Anything a user would call losing or corrupting writes. */
  boolean damaged() {
    return lost > 0 || corrupt || writerSawCorruption;
  }
}
