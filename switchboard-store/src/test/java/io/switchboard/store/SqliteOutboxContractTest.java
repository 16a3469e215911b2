package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.OutboxContract;
import io.switchboard.testkit.store.StorePorts;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

/** The outbox contract against SQLite, in a database file of this class's own. */
class SqliteOutboxContractTest extends OutboxContract {
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
    protected TaskClaims claims() {
        return database.store();
    }
}
