package io.switchboard.store;

import io.switchboard.store.internal.Dialect;
import io.switchboard.store.internal.Jdbc;

/**
 * The store's own connection, lent to the benchmarks: to seed history in JDBC batches, and to measure a bare
 * INSERT + COMMIT on the very connection (and so the pragmas and pool settings) the store commits on.
 *
 * <p>It is part of the benchmark module and sits in the store's package only to reach
 * {@code Database.jdbc()}: the store's API gains nothing for it.
 */
public final class StoreConnection {
    private StoreConnection() {
    }

    /**
     * Runs the work on one of the store's connections, in auto-commit mode; on SQLite it holds the store's
     * lock meanwhile. The work may open transactions of its own but must leave auto-commit on.
     */
    public static <T> T use(Database database, Jdbc.Work<T> work) {
        return database.jdbc().read(work);
    }

    /** How the database spells instants, UUIDs and JSON parameters. */
    public static Dialect dialect(Database database) {
        return database.dialect();
    }
}
