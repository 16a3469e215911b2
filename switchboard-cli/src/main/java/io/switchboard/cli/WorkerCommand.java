package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.BrokerException;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.port.WorkerRegistry.Clash;
import io.switchboard.core.port.WorkerRegistry.Registration;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.store.Store;
import io.switchboard.store.StoreException;
import java.io.IOException;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard worker}: registers the agents of its configuration as a remote worker's, online, beats every
 * {@code workers.heartbeat} until it is stopped, and on SIGTERM or Ctrl-C sets them offline and exits 0. A worker
 * that dies without that is judged by its missing beats: its agents read offline once {@code missed_beats} beats
 * have not arrived, by the database's clock. It consumes no work yet.
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Register this machine's agents (the config's) as a worker's, online, and heartbeat until",
            "stopped (SIGTERM or Ctrl-C sets them offline). The agents read offline once workers.missed_beats",
            "beats are missed, by the database's clock. This version does not consume work yet: --amqp is only",
            "checked at start."},
        footer = {"", "Exit codes: 0 stopped cleanly, 2 bad config or no agents, 5 database unavailable,",
            "9 broker unreachable, 10 an agent is registered with a different profile."})
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--amqp", paramLabel = "URL", description = {"The broker (amqp://user:password@host:port/vhost):",
        "checked at start, an unreachable one is exit 9 within 5 s; not used yet."})
    String amqp;

    @Option(names = "--json", description = "Print what happens as JSON lines.")
    boolean json;

    private final CountDownLatch stop = new CountDownLatch(1);

    @Override
    public Integer call() {
        Workspace workspace = root.workspace();
        Shell shell = workspace.shell();
        SwitchboardConfig config = workspace.config();
        List<AgentProfile> agents = config.agents();
        if (agents.isEmpty()) {
            throw CliException.usage("the configuration declares no agents for this worker to run"
                    + (config.sources().isEmpty() ? " (no switchboard.yaml found)" : " (" + String.join(", ",
                    config.sources()) + ")"));
        }
        String id = "w-" + UUID.randomUUID().toString().substring(0, 8);
        if (amqp != null) {
            checkBroker(id);
        }
        // Not the synced store: the worker's agents are registered as its own, never as the orchestrator's config.
        Store store = workspace.store();
        WorkerSettings settings = config.workers();
        Registration registration = store.registerWorker(id, agents, settings.staleAfter());
        if (registration.refused()) {
            throw new CliException(ExitCodes.AGENT_CLASH, "worker not started: " + String.join("; ",
                    registration.clashes().stream().map(Clash::describe).toList())
                    + "; give this worker's agent another name or make the two profiles agree");
        }
        List<String> names = registration.registered().stream().map(RegisteredAgent::name).toList();
        if (json) {
            ObjectNode started = Json.object();
            started.put("event", "registered");
            started.put("worker", id);
            started.put("host", Orchestration.hostName());
            started.put("pid", ProcessHandle.current().pid());
            ArrayNode array = started.putArray("agents");
            names.forEach(array::add);
            started.put("heartbeat_ms", settings.heartbeat().toMillis());
            started.put("stale_after_ms", settings.staleAfter().toMillis());
            shell.out().println(Json.line(started));
        } else {
            shell.out().println("Worker " + id + " (" + Orchestration.hostName() + ", pid " + ProcessHandle.current()
                    .pid() + ") registered " + String.join(", ", names) + ": " + settings.describe()
                    + ". It does not consume work yet.");
        }
        shell.out().flush();
        if (shell.ownsProcess()) {
            handleStopSignals();
        }
        beatUntilStopped(store, id, settings, names.size(), shell);
        int offline = store.leave(id);
        if (json) {
            ObjectNode stopped = Json.object();
            stopped.put("event", "stopped");
            stopped.put("worker", id);
            stopped.put("offline", offline);
            shell.out().println(Json.line(stopped));
        } else {
            shell.out().println("Worker " + id + " stopped: " + offline + " agent" + (offline == 1 ? "" : "s")
                    + " offline.");
        }
        return ExitCodes.OK;
    }

    /** Fails fast, with the broker's reason, when the broker cannot be used; the connection is not kept yet. */
    private void checkBroker(String id) {
        BrokerEndpoint endpoint;
        try {
            endpoint = BrokerEndpoint.of(amqp);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--amqp: " + e.getMessage());
        }
        try (var connection = endpoint.connect("switchboard-worker-" + id)) {
            // Reached and logged in: that is all this version needs of it.
        } catch (BrokerException e) {
            throw new CliException(ExitCodes.BROKER, e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCodes.BROKER, "The broker at " + endpoint + " failed while closing the first"
                    + " connection: " + e.getMessage());
        }
    }

    /**
     * Beats until a stop signal. A database that fails a beat is reported once per outage and tried again at the next
     * beat: the agents read offline meanwhile, by the missed beats, and online again with the first beat that lands.
     */
    private void beatUntilStopped(Store store, String id, WorkerSettings settings, int registered, Shell shell) {
        boolean failing = false;
        int lastHeld = registered;
        try {
            while (!stop.await(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    int held = store.beat(id);
                    if (failing) {
                        shell.err().println("switchboard: worker " + id + ": heartbeats reach the database again");
                        failing = false;
                    }
                    if (held < lastHeld) {
                        shell.err().println("switchboard: worker " + id + ": " + (registered - held) + " of its "
                                + registered + " agents were set offline or taken over by another worker");
                    }
                    lastHeld = held;
                } catch (StoreException e) {
                    if (!failing) {
                        shell.err().println("switchboard: worker " + id + ": a heartbeat failed: " + e.getMessage());
                        failing = true;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void handleStopSignals() {
        sun.misc.SignalHandler handler = signal -> stop.countDown();
        for (String name : List.of("TERM", "INT")) {
            try {
                sun.misc.Signal.handle(new sun.misc.Signal(name), handler);
            } catch (IllegalArgumentException unavailable) {
                // This platform has no such signal, or the JVM reserves it: its default handling stays.
            }
        }
    }
}
