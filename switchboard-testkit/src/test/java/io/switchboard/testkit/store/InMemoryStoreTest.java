package io.switchboard.testkit.store;

import org.junit.jupiter.api.Nested;

/** The in-memory store against every contract: it is the reference the database stores are held to. */
class InMemoryStoreTest {

    private static StorePorts fresh() {
        return StorePorts.of(new InMemoryStore());
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
