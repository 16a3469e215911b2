package io.switchboard.store;

import io.switchboard.testkit.store.AllStoreContracts;
import io.switchboard.testkit.store.StorePorts;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Every store contract against PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when none
 * answers there), in a schema of this class's own.
 */
class PostgresStoreContractTest extends AllStoreContracts {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.postgres();

    @Override
    protected StorePorts freshStore() {
        return db.emptied();
    }
}
