package io.switchboard.store;

import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.StorePorts;
import io.switchboard.testkit.store.TaskClaimsContract;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;

/**
 * The task claims contract against PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when
 * none answers there), in a schema of this class's own. Its claims from several threads race for real here.
 */
class PostgresTaskClaimsContractTest extends TaskClaimsContract {
    static PostgresServer.Schema schema;
    static String url;
    static Database database;

    @BeforeAll
    static void open() {
        schema = PostgresServer.newSchema(PostgresTaskClaimsContractTest.class);
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
    protected TaskClaims claims() {
        return database.store();
    }
}
