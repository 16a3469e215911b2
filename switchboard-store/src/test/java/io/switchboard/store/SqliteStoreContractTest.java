package io.switchboard.store;

import io.switchboard.testkit.store.AgentDirectoryContract;
import io.switchboard.testkit.store.CooldownStoreContract;
import io.switchboard.testkit.store.DecisionLogContract;
import io.switchboard.testkit.store.PerformanceStoreContract;
import io.switchboard.testkit.store.StorePorts;
import io.switchboard.testkit.store.TaskStoreContract;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;

/** Every store contract against SQLite, in a database file of this class's own. */
class SqliteStoreContractTest {
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
    static StorePorts fresh() {
        StoreTables.clear(url);
        return StorePorts.of(database.store());
    }

    @Nested
    class Agents extends AgentDirectoryContract {
        @Override
        protected StorePorts newStore() {
            return fresh();
        }
    }

    @Nested
    class Performance extends PerformanceStoreContract {
        @Override
        protected StorePorts newStore() {
            return fresh();
        }
    }

    @Nested
    class Tasks extends TaskStoreContract {
        @Override
        protected StorePorts newStore() {
            return fresh();
        }
    }

    @Nested
    class Cooldowns extends CooldownStoreContract {
        @Override
        protected StorePorts newStore() {
            return fresh();
        }
    }

    @Nested
    class Decisions extends DecisionLogContract {
        @Override
        protected StorePorts newStore() {
            return fresh();
        }
    }
}
