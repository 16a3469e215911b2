package io.switchboard.testkit.store;

import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.task.Task;
import io.switchboard.testkit.AgentBuilder;
import io.switchboard.testkit.MutableClock;
import io.switchboard.testkit.TaskBuilder;
import org.junit.jupiter.api.BeforeEach;

/**
 * What every contract suite shares: the store under test, a clock moved by hand, and fixtures that put an
 * agent or a task into the store.
 */
public abstract class StoreContract {
    protected final MutableClock clock = new MutableClock();
    protected StorePorts store;

    /**
     * A store with nothing in it, for one test; called before each test. A database-backed store may reuse
     * one schema and empty its tables here.
     */
    protected abstract StorePorts newStore();

    @BeforeEach
    protected final void openStore() {
        store = newStore();
    }

    /** Registers an agent declared in config, with defaults for everything but its name. */
    protected RegisteredAgent registered(String name) {
        return registered(AgentBuilder.anAgent(name));
    }

    protected RegisteredAgent registered(AgentBuilder agent) {
        return store.agents().register(agent.profile(), AgentOrigin.CONFIG, clock.instant());
    }

    /** Stores a task of work type {@code implement}. */
    protected Task storedTask(String id) {
        return storedTask(TaskBuilder.aTask().withId(id));
    }

    protected Task storedTask(TaskBuilder builder) {
        Task task = builder.build();
        store.tasks().saveTask(task, clock.instant());
        return task;
    }
}
