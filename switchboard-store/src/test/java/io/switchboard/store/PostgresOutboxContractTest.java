package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.OutboxContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The outbox contract against PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when none answers
 * there), in a schema of this class's own.
 */
class PostgresOutboxContractTest extends OutboxContract {
    static PostgresServer.Schema schema;
    static String url;
    static Database database;

    @BeforeAll
    static void open() {
        schema = PostgresServer.newSchema(PostgresOutboxContractTest.class);
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
    protected TaskClaims claims() {
        return database.store();
    }
}
