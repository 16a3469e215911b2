package io.switchboard.store;

import io.switchboard.core.port.Outbox;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.testkit.store.RemoteAttemptsContract;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The remote attempts contract (leases and results) against SQLite, in a database file of this class's own. */
class SqliteRemoteAttemptsContractTest extends RemoteAttemptsContract {
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
    protected RemoteAttempts remote() {
        return db.store();
    }
}
