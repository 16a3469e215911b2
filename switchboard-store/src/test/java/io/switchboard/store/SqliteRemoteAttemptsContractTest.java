package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.testkit.store.RemoteAttemptsContract;
import io.switchboard.testkit.store.StorePorts;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The remote attempts contract (leases and results) against SQLite, in a database file of this class's own. */
class SqliteRemoteAttemptsContractTest extends RemoteAttemptsContract {
    @TempDir
    static Path folder;
    static String url;
    static Database database;

    @BeforeAll
    static void open() {
        url = Database.sqliteUrl(folder.resolve("state.db"));
        database = Database.open(url);
    }

    @AfterAll
    static void close() {
        database.close();
    }

    /** The shared database, emptied. */
    @Override
    protected StorePorts newStore() {
        StoreTables.clear(url);
        return StorePorts.of(database.store());
    }

    @Override
    protected Outbox outbox() {
        return database.store();
    }

    @Override
    protected RemoteAttempts remote() {
        return database.store();
    }
}
