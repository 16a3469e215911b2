package io.switchboard.testkit.store;

import org.junit.jupiter.api.Nested;

/**
 * Every store contract at once: a store's test extends this and says how to get an empty store. The
 * nested suites run once per subclass.
 */
public abstract class AllStoreContracts {

    /** A store with nothing in it; called before each test of every suite. */
    protected abstract StorePorts freshStore();

    @Nested
    class Agents extends AgentDirectoryContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Performance extends PerformanceStoreContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Tasks extends TaskStoreContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Execution extends TaskExecutionContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Handoffs extends HandoffContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Cooldowns extends CooldownStoreContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Decisions extends DecisionLogContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Workers extends WorkerRegistryContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }

    @Nested
    class Workflows extends WorkflowStoreContract {
        @Override
        protected StorePorts newStore() {
            return freshStore();
        }
    }
}
