package io.walguard.core;

import io.walguard.placement.Placement;
import io.walguard.storage.StorageClassification;
import java.util.List;

/**
 * The decision core's answer for one database. Every door shows it; none recomputes it.
 *
 * @param safety safe, unsafe or unknown, for the database as it is now (walguard's remedies included)
 * @param action what walguard does (or would do) about it
 * @param storage what backs the claim and the evidence for it
 * @param placement where the openers are and can be
 * @param reasons why, in words a person can act on: each names the object and what to change
 */
public record Verdict(
    Safety safety,
    Action action,
    StorageClassification storage,
    Placement placement,
    List<String> reasons) {}
