package io.switchboard.cli;

import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.port.AgentDirectory;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.input.config.ConfigLoader;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The directory a command works in, with its configuration and store, each loaded on first use and
 * closed when the command ends. The only place that reads config and wires the parts together.
 */
final class Workspace implements AutoCloseable {
    /** Where the embedded default database lives, relative to the workspace. */
    static final String DEFAULT_DB_PATH = ".switchboard/state.db";

    private final Shell shell;
    private final Path base;
    private final Path configFile;
    private final String dbUrl;
    private final String amqpUrl;
    private final boolean verbose;
    private SwitchboardConfig config;
    private Database database;

    Workspace(Shell shell, Path base, Path configFile, String dbUrl, String amqpUrl, boolean verbose) {
        this.shell = shell;
        this.base = base;
        this.configFile = configFile;
        this.dbUrl = dbUrl;
        this.amqpUrl = amqpUrl;
        this.verbose = verbose;
    }

    Shell shell() {
        return shell;
    }

    Path base() {
        return base;
    }

    /** The configuration; printed once to stderr with {@code --verbose}. */
    SwitchboardConfig config() {
        if (config == null) {
            config = configFile == null
                    ? ConfigLoader.load(base)
                    : ConfigLoader.load(base, base.resolve(configFile));
            if (verbose) {
                shell.err().println(config.describe());
            }
        }
        return config;
    }

    Router router() {
        SwitchboardConfig loaded = config();
        return new Router(loaded.policy(), loaded.rules());
    }

    /** The JDBC URL in force: {@code --db}, {@code SWITCHBOARD_DB}, or SQLite in the workspace. */
    String dbUrl() {
        return dbUrl != null ? dbUrl : "jdbc:sqlite:" + base.resolve(DEFAULT_DB_PATH);
    }

    /** The broker URL in force ({@code --amqp}, {@code SWITCHBOARD_AMQP}), or {@code null} for none. */
    String amqpUrl() {
        return amqpUrl;
    }

    /** The store, opened read-write (created and migrated when needed) on first use. */
    Store store() {
        return open(false).store();
    }

    /**
     * The store opened without writing anything, for dry runs and reports: a database that does not exist
     * yet is not created and reads as empty. A store already opened read-write is returned as it is.
     */
    Store readOnlyStore() {
        return open(true).store();
    }

    private Database open(boolean readOnly) {
        if (database != null && (readOnly || !database.readOnly())) {
            return database;
        }
        close();
        try {
            database = readOnly ? Database.openReadOnly(dbUrl()) : Database.open(dbUrl());
        } catch (RuntimeException e) {
            throw new StoreUnavailableException(e.getMessage(), e);
        }
        return database;
    }

    /** The store with the declared agents synced into its registry: what every recording command starts from. */
    Store syncedStore() {
        Store opened = store();
        java.time.Instant now = shell.clock().instant();
        opened.sync(config().agents(), now);
        liftCooldownsOfChangedAgents(opened, now);
        return opened;
    }

    /** A cooldown that lasts "until the configuration changes" ends when the agent's invocation changed. */
    private void liftCooldownsOfChangedAgents(Store opened, java.time.Instant now) {
        Map<java.util.UUID, io.switchboard.core.routing.Cooldown> active = opened.active(now);
        for (RegisteredAgent agent : opened.agents()) {
            io.switchboard.core.routing.Cooldown cooldown = active.get(agent.id());
            if (cooldown != null && cooldown.untilConfigChanges()
                    && !cooldown.configFingerprint().equals(agent.profile().fingerprint())) {
                opened.lift(agent.id());
            }
        }
    }

    RoutingService routingService(Store opened) {
        return new RoutingService(opened, opened, opened, opened, opened, router(), shell.clock());
    }

    /**
     * The agents a dry run considers, without writing anything: the registry as stored (when a store
     * exists) with the declared profiles laid over it, and declared agents not yet registered taken as online.
     */
    List<RegisteredAgent> previewAgents(AgentDirectory registry) {
        Map<String, RegisteredAgent> byName = new HashMap<>();
        for (RegisteredAgent agent : registry.agents()) {
            byName.put(agent.name(), agent);
        }
        List<RegisteredAgent> result = new ArrayList<>();
        for (var profile : config().agents()) {
            RegisteredAgent known = byName.remove(profile.name());
            result.add(known == null
                    ? new RegisteredAgent(java.util.UUID.nameUUIDFromBytes(("agent:" + profile.name()).getBytes(java.nio.charset.StandardCharsets.UTF_8)), profile, AgentStatus.ONLINE, null,
                            io.switchboard.core.agent.AgentOrigin.CONFIG)
                    : known.withProfile(profile));
        }
        for (RegisteredAgent other : byName.values()) {
            // Config agents that are no longer declared would be retired by a sync.
            result.add(other.origin() == io.switchboard.core.agent.AgentOrigin.CONFIG
                    ? other.withStatus(AgentStatus.OFFLINE) : other);
        }
        result.sort(java.util.Comparator.comparing(RegisteredAgent::name));
        return result;
    }

    @Override
    public void close() {
        if (database != null) {
            database.close();
            database = null;
        }
    }
}
