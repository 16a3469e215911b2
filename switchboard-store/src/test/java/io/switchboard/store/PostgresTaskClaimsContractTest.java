package io.switchboard.store;

import io.switchboard.core.port.TaskClaims;
import io.switchboard.testkit.store.StorePorts;
import io.switchboard.testkit.store.TaskClaimsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The task claims contract against PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when
 * none answers there), in a schema of this class's own. Its claims from several threads race for real here.
 */
class PostgresTaskClaimsContractTest extends TaskClaimsContract {
    @RegisterExtension
    static final ContractDatabase db = ContractDatabase.postgres();

    @Override
    protected StorePorts newStore() {
        return db.emptied();
    }

    @Override
    protected TaskClaims claims() {
        return db.store();
    }
}
