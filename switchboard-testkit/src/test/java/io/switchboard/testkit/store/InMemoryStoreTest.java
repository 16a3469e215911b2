package io.switchboard.testkit.store;

/** The in-memory store against every contract: it is the reference the database stores are held to. */
class InMemoryStoreTest extends AllStoreContracts {

    @Override
    protected StorePorts freshStore() {
        return StorePorts.of(new InMemoryStore());
    }
}
