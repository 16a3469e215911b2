package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.OutboxContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The outbox contract against PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when none answers
 * there), in a schema of this class's own.
 */
class PostgresOutboxContractTest extends OutboxContract {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.postgres();

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
