package io.switchboard.store.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The changesets this version of the code ships, in changelog order, so that start-up can tell whether a
 * database is current with one query and without starting Liquibase. Kept by hand next to the changelogs
 * ({@code io/switchboard/store/changelog}); {@code ChangesetsTest} fails when the two disagree.
 */
public final class Changesets {
    /** The author of every changeset, as recorded in {@code DATABASECHANGELOG}. */
    public static final String AUTHOR = "switchboard";

    /**
     * One changeset.
     *
     * @param version the schema version it belongs to (its {@code labels:vN})
     * @param dialects the databases it runs on ({@code dbms:}); all of them for the common ones
     */
    public record Changeset(String id, int version, Set<Dialect> dialects) {
        public Changeset {
            dialects = Set.copyOf(dialects);
        }

        static Changeset common(String id, int version) {
            return new Changeset(id, version, EnumSet.allOf(Dialect.class));
        }
    }

    public static final List<Changeset> ALL = List.of(
            Changeset.common("v1-agent-registry", 1),
            Changeset.common("v1-agent-performance", 1),
            Changeset.common("v1-routing-decisions", 1),
            Changeset.common("v2-tasks", 2),
            Changeset.common("v2-attempts", 2),
            Changeset.common("v2-cooldowns", 2),
            Changeset.common("v3-decisions-by-time", 3),
            Changeset.common("v4-task-state", 4),
            Changeset.common("v4-attempt-details", 4),
            Changeset.common("v4-transitions", 4),
            Changeset.common("v4-orchestrators", 4),
            Changeset.common("v4-cooldown-fingerprint", 4),
            Changeset.common("v5-attempts-last-success", 5),
            Changeset.common("v6-attempt-changes", 6),
            Changeset.common("v6-task-plan-run", 6),
            Changeset.common("v7-attempt-handoff", 7),
            Changeset.common("v7-task-handoff", 7),
            Changeset.common("v8-workflow-runs", 8),
            Changeset.common("v8-workflow-steps", 8),
            Changeset.common("v9-outbox", 9),
            Changeset.common("v10-agent-workers", 10),
            Changeset.common("v11-attempt-leases", 11),
            Changeset.common("v11-attempt-results", 11),
            Changeset.common("v11-orchestrator-heartbeats", 11),
            Changeset.common("v11-task-claims", 11),
            Changeset.common("v12-outbox-claims", 12),
            Changeset.common("v12-agent-workers", 12),
            Changeset.common("v13-outbox-pending-only", 13),
            Changeset.common("v14-partial-indexes", 14));

    /** The schema version the code needs. */
    public static final int LATEST_VERSION = ALL.stream().mapToInt(Changeset::version).max().orElseThrow();

    private Changesets() {
    }

    /** The changesets that run on a database of this dialect, up to and including a version. */
    public static List<Changeset> shipped(Dialect dialect, int upToVersion) {
        return ALL.stream()
                .filter(changeset -> changeset.dialects().contains(dialect) && changeset.version() <= upToVersion)
                .toList();
    }

    public static List<Changeset> shipped(Dialect dialect) {
        return shipped(dialect, LATEST_VERSION);
    }

    /** The versions that have changesets on a database of this dialect, in order (a version may be skipped). */
    public static List<Integer> versions(Dialect dialect) {
        return ALL.stream().filter(changeset -> changeset.dialects().contains(dialect))
                .map(Changeset::version).distinct().sorted().toList();
    }

    /** The version of a shipped changeset, or 0 for one this code does not know. */
    public static int versionOf(String id) {
        return ALL.stream().filter(changeset -> changeset.id().equals(id)).mapToInt(Changeset::version)
                .findFirst().orElse(0);
    }
}
