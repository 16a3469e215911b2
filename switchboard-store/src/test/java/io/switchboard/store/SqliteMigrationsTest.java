package io.switchboard.store;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.io.TempDir;

/** Schema migrations on SQLite, each test in a new database file. */
class SqliteMigrationsTest extends MigrationsTest {
    @TempDir
    Path folder;

    private final AtomicInteger files = new AtomicInteger();

    @Override
    protected String newDatabase() {
        return Database.sqliteUrl(folder.resolve("state-" + files.incrementAndGet() + ".db"));
    }
}
