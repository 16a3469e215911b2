package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.testkit.store.RemoteAttemptsContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The remote attempts contract (leases and results) against PostgreSQL (the server on 127.0.0.1:5432, or an
 * embedded one when none answers there), in a schema of this class's own. The races in it race for real here.
 */
class PostgresRemoteAttemptsContractTest extends RemoteAttemptsContract {
    static PostgresServer.Schema schema;
    static String url;
    static Database database;

    @BeforeAll
    static void open() {
        schema = PostgresServer.newSchema(PostgresRemoteAttemptsContractTest.class);
        url = schema.url();
        database = Database.open(url);
    }

    @AfterAll
    static void close() {
        database.close();
        schema.close();
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
