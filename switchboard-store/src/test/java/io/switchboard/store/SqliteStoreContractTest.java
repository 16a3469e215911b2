package io.switchboard.store;

import io.switchboard.testkit.store.AllStoreContracts;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Every store contract against SQLite, in a database file of this class's own. */
class SqliteStoreContractTest extends AllStoreContracts {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.sqlite();

    @Override
    protected StorePorts freshStore() {
        return db.emptied();
    }
}
