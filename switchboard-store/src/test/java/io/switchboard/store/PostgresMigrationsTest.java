package io.switchboard.store;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;

/** Schema migrations on PostgreSQL, each test in a new schema, dropped after it. */
class PostgresMigrationsTest extends MigrationsTest {
    private final List<PostgresServer.Schema> schemas = new ArrayList<>();

    @Override
    protected String newDatabase() {
        PostgresServer.Schema schema = PostgresServer.newSchema(PostgresMigrationsTest.class);
        schemas.add(schema);
        return schema.url();
    }

    @AfterEach
    void dropSchemas() {
        schemas.forEach(PostgresServer.Schema::close);
    }
}
