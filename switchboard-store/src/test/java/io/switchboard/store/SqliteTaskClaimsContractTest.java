package io.switchboard.store;

import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.StorePorts;
import io.switchboard.testkit.store.TaskClaimsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The task claims contract against SQLite, in a database file of this class's own. */
class SqliteTaskClaimsContractTest extends TaskClaimsContract {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.sqlite();

    @Override
    protected StorePorts newStore() {
        return db.emptied();
    }

    @Override
    protected TaskClaims claims() {
        return db.store();
    }
}
