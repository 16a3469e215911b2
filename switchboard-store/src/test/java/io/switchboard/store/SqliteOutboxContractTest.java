package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.OutboxContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The outbox contract against SQLite, in a database file of this class's own. */
class SqliteOutboxContractTest extends OutboxContract {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.sqlite();

    @Override
    protected StorePorts newStore() {
        return db.emptied();
    }

    @Override
    protected Outbox outbox() {
        return db.store();
    }

    @Override
    protected TaskClaims claims() {
        return db.store();
    }
}
