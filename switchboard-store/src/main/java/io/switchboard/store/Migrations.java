package io.switchboard.store;

import io.switchboard.store.internal.Changesets;
import io.switchboard.store.internal.Changesets.Changeset;
import io.switchboard.store.internal.ConnectionSource;
import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.Jdbc;
import io.switchboard.store.internal.LiquibaseRunner;
import io.switchboard.store.internal.MigrationLock;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import java.util.stream.Collectors;
import java.util.stream.IntStream;

/**
 * The schema's version, and moving it. {@link Database#open} upgrades by itself; this is for {@code init},
 * tools and tests.
 *
 * <p>The schema comes in versions (1: agent registry, performance, decisions; 2: tasks, attempts, cooldowns; 3: an
 * index for the newest decisions; 4: task states, attempt details, transitions, orchestrators; 5: an index for each
 * agent's latest success; 6: each attempt's workspace changes and a task's plan run; 7: handoffs, the packet and
 * final answer of each attempt; 8: workflow runs and their steps; 9: the outbox of messages for remote workers;
 * 10: the workers that registered agents and their heartbeat windows; 11: remote attempts' leases and reported
 * results, orchestrators' heartbeats and the tasks they claimed; 12: the outbox rows relays claimed, and the
 * workers of each agent, one row each; 13: the outbox keeps only pending rows),
 * each a set of Liquibase changesets. Whether a database is current is decided by one query on
 * {@code DATABASECHANGELOG} against the changesets this code ships ({@code internal.Changesets}), so a current
 * database opens without loading Liquibase at all, whose start-up alone would take most of the CLI's half-second
 * budget for a dry run. Liquibase runs only when changesets are missing, and then also validates the checksums of
 * those already applied. The fast path does not: a changeset edited after it was applied goes unnoticed until the
 * next real migration.
 */
public final class Migrations {

    /** Where a database stands against the changesets this code ships. */
    public enum State {
        /** No changeset has run: an empty or new database. */
        ABSENT,
        /** Some but not all have run: an older version's database, or a migration that stopped half-way. */
        BEHIND,
        /** Every shipped changeset has run (a newer version's extra changesets are ignored). */
        CURRENT
    }

    /** The schema version this code needs. */
    public static final int LATEST_VERSION = Changesets.LATEST_VERSION;

    private final ConnectionSource connections;
    private final Jdbc jdbc;
    private final Dialect dialect;
    private final boolean readOnly;
    /** For a SQLite file, so that one process at a time migrates it; null where the database serialises migrations. */
    private final MigrationLock lock;

    Migrations(ConnectionSource connections, Jdbc jdbc, Dialect dialect, boolean readOnly, MigrationLock lock) {
        this.connections = connections;
        this.jdbc = jdbc;
        this.dialect = dialect;
        this.readOnly = readOnly;
        this.lock = lock;
    }

    /** One query; never starts Liquibase. */
    public State state() {
        Set<String> applied = new HashSet<>(appliedNewestFirst());
        List<Changeset> shipped = Changesets.shipped(dialect);
        long present = shipped.stream().filter(changeset -> applied.contains(changeset.id())).count();
        return present == 0 ? State.ABSENT : present == shipped.size() ? State.CURRENT : State.BEHIND;
    }

    /**
     * The highest version whose changesets (and all earlier ones) have all run; 0 for none. A version number with
     * no changesets (one skipped) is never the answer: a database is not at version 7 because version 7 has
     * nothing to run.
     */
    public int appliedVersion() {
        Set<String> applied = new HashSet<>(appliedNewestFirst());
        int version = 0;
        for (int next : Changesets.versions(dialect)) {
            if (!Changesets.shipped(dialect, next).stream().allMatch(changeset -> applied.contains(changeset.id()))) {
                break;
            }
            version = next;
        }
        return version;
    }

    /**
     * Brings the schema to {@link #LATEST_VERSION}. Without starting Liquibase when it is there already.
     *
     * @return how many changesets ran
     */
    public int upgrade() {
        return upgradeTo(LATEST_VERSION);
    }

    /**
     * Brings the schema to a version (for testing an upgrade from an older one).
     *
     * @return how many changesets ran
     */
    public int upgradeTo(int version) {
        if (version < 1 || version > LATEST_VERSION) {
            throw new IllegalArgumentException("schema versions go from 1 to " + LATEST_VERSION + ", was " + version);
        }
        if (appliedUpTo(version)) {
            return 0;
        }
        requireWritable("upgrade the schema");
        return exclusively(() -> {
            // Another process may have upgraded it while this one waited for the lock: then there is nothing to do.
            if (appliedUpTo(version)) {
                return 0;
            }
            Set<String> before = new HashSet<>(appliedNewestFirst());
            String labels = IntStream.rangeClosed(1, version).mapToObj(v -> "v" + v)
                    .collect(Collectors.joining(" or "));
            withDedicatedConnection(connection -> LiquibaseRunner.update(connection, labels));
            Set<String> after = new HashSet<>(appliedNewestFirst());
            after.removeAll(before);
            return after.size();
        });
    }

    /** Whether every changeset shipped up to {@code version} has run. */
    private boolean appliedUpTo(int version) {
        Set<String> applied = new HashSet<>(appliedNewestFirst());
        return Changesets.shipped(dialect, version).stream().allMatch(changeset -> applied.contains(changeset.id()));
    }

    /** Runs a migration holding the lock that keeps other processes from migrating the same file meanwhile. */
    private int exclusively(Supplier<Integer> migration) {
        return lock == null ? migration.get() : lock.holding(migration);
    }

    /**
     * Undoes the latest version: rolls back, newest first, the changesets of the version of the changeset
     * that ran last. Running it again undoes the version before.
     *
     * @return how many changesets were rolled back (0 when none had run)
     */
    public int rollbackLatest() {
        requireWritable("roll back the schema");
        return exclusively(this::rollBackLatestVersion);
    }

    private int rollBackLatestVersion() {
        List<String> applied = appliedNewestFirst();
        if (applied.isEmpty()) {
            return 0;
        }
        int latest = Changesets.versionOf(applied.getFirst());
        int count = 0;
        while (count < applied.size() && Changesets.versionOf(applied.get(count)) == latest) {
            count++;
        }
        int changesets = count;
        withDedicatedConnection(connection -> LiquibaseRunner.rollback(connection, changesets));
        return changesets;
    }

    /** Ids of the changesets of ours that have run, the last one first; empty when none have. */
    private List<String> appliedNewestFirst() {
        if (jdbc == null) {
            return List.of();
        }
        return jdbc.read(connection -> {
            try {
                return jdbc.query(connection,
                        "SELECT ID FROM DATABASECHANGELOG WHERE AUTHOR = ? ORDER BY ORDEREXECUTED DESC, DATEEXECUTED DESC",
                        parameters -> parameters.text(Changesets.AUTHOR),
                        rows -> rows.getString(1));
            } catch (SQLException e) {
                if (dialect.isMissingTable(e)) {
                    return new ArrayList<String>();
                }
                throw e;
            }
        });
    }

    private interface Migration {
        void run(Connection connection);
    }

    private void withDedicatedConnection(Migration migration) {
        try (Connection connection = connections.openDedicated()) {
            migration.run(connection);
        } catch (SQLException e) {
            throw new StoreException("Could not connect to migrate the schema: " + e.getMessage(), e);
        }
    }

    private void requireWritable(String what) {
        if (readOnly || connections == null) {
            throw new StoreException("The store was opened read-only; cannot " + what);
        }
    }
}
