package io.switchboard.store;

import io.switchboard.testkit.store.StorePorts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * The database a store contract class runs against, of its own: a SQLite file in a folder of its own, or a schema of
 * its own on PostgreSQL (the server on 127.0.0.1:5432, or an embedded one when none answers there). Opened before the
 * class's tests (its {@code @Nested} classes' included), closed (and its file or schema removed) after them;
 * {@link #emptied} gives each test empty tables.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ContractDatabase db = ContractDatabase.postgres();
 * }</pre>
 */
final class ContractDatabase implements BeforeAllCallback, AfterAllCallback {
    private final boolean postgres;
    private PostgresServer.Schema schema;
    private Path folder;
    private String url;
    private Database database;
    /** Classes begun and not ended: the class and its {@code @Nested} ones, which are told too. */
    private int open;

    private ContractDatabase(boolean postgres) {
        this.postgres = postgres;
    }

    static ContractDatabase sqlite() {
        return new ContractDatabase(false);
    }

    static ContractDatabase postgres() {
        return new ContractDatabase(true);
    }

    @Override
    public void beforeAll(ExtensionContext context) throws IOException {
        if (open++ > 0) {
            return;
        }
        Class<?> owner = context.getRequiredTestClass();
        if (postgres) {
            schema = PostgresServer.newSchema(owner);
            url = schema.url();
        } else {
            folder = Files.createTempDirectory(owner.getSimpleName());
            url = Database.sqliteUrl(folder.resolve("state.db"));
        }
        database = Database.open(url);
    }

    @Override
    public void afterAll(ExtensionContext context) throws IOException {
        if (--open > 0) {
            return;
        }
        try {
            database.close();
        } finally {
            if (schema != null) {
                schema.close();
            }
            if (folder != null) {
                try (Stream<Path> paths = Files.walk(folder)) {
                    paths.sorted(Comparator.reverseOrder()).forEach(ContractDatabase::delete);
                }
            }
        }
    }

    /** The store, shared by the class's tests. */
    Store store() {
        return database.store();
    }

    /** The shared store with every table emptied: what each test starts from. */
    StorePorts emptied() {
        StoreTables.clear(url);
        return StorePorts.of(database.store());
    }

    private static void delete(Path path) {
        try {
            Files.delete(path);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
