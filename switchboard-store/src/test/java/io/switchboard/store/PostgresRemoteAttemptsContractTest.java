package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.testkit.store.RemoteAttemptsContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The remote attempts contract (leases and results) against PostgreSQL (the server on 127.0.0.1:5432, or an
 * embedded one when none answers there), in a schema of this class's own. The races in it race for real here.
 */
class PostgresRemoteAttemptsContractTest extends RemoteAttemptsContract {
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
    protected RemoteAttempts remote() {
        return db.store();
    }
}
