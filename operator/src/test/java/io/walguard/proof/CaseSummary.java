package io.walguard.proof;

import java.util.List;
import java.util.stream.Collectors;

/** The trials of one journal mode and arrangement, added up. */
record CaseSummary(JournalMode journal, Arrangement arrangement, List<TrialOutcome> trials) {

  long trialsWithLoss() {
    return trials.stream().filter(TrialOutcome::lostRows).count();
  }

  long trialsWithCorruption() {
    return trials.stream().filter(TrialOutcome::corrupt).count();
  }

  long trialsWhereAWriterSawCorruption() {
    return trials.stream().filter(TrialOutcome::writerSawCorruption).count();
  }

  long trialsDamaged() {
    return trials.stream().filter(TrialOutcome::damaged).count();
  }

  long trialsRefused() {
    return trials.stream().filter(t -> t.refused() != null).count();
  }

  long rowsCommitted() {
    return trials.stream().mapToLong(TrialOutcome::committed).sum();
  }

  long rowsLost() {
    return trials.stream().mapToLong(TrialOutcome::lost).sum();
  }

  /** What went wrong in the first {@code count} trials that went wrong, one line each. */
  String examples(int count) {
    return trials.stream()
        .filter(t -> t.damaged() || t.refused() != null)
        .limit(count)
        .map(TrialOutcome::detail)
        .collect(Collectors.joining("\n"));
  }

  String row() {
    String opened = trialsRefused() == trials.size() ? "B cannot open" : String.valueOf(trials.size());
    return String.format(
        "| %s | %s | %s | %s | %d | %d | %d | %d | %d | %d |",
        journal,
        arrangement.howBOpens,
        arrangement.whatIsShared,
        opened,
        trialsDamaged(),
        trialsWithLoss(),
        trialsWithCorruption(),
        trialsWhereAWriterSawCorruption(),
        rowsCommitted(),
        rowsLost());
  }

  static String header() {
    return "| journal | how B opens the database | what A and B share | trials | damaged trials | with lost rows"
        + " | failing integrity_check | a writer got SQLITE_CORRUPT | rows acknowledged | rows lost |\n"
        + "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |";
  }
}
