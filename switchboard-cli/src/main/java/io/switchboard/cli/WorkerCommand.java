package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.port.WorkerRegistry.Clash;
import io.switchboard.core.port.WorkerRegistry.Registration;
import io.switchboard.core.remote.WorkerSettings;
import io.switchboard.store.Store;
import io.switchboard.broker.BrokerSession;
import io.switchboard.broker.ConsumerListener;
import io.switchboard.broker.ResultNotices;
import io.switchboard.broker.Topology;
import io.switchboard.broker.WorkConsumer;
import io.switchboard.core.execution.AgentEnvironment;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.port.RemoteAttempts;
import io.switchboard.core.remote.AttemptKey;
import io.switchboard.core.remote.RemoteWorker;
import com.rabbitmq.client.Channel;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
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
 * {@code workers.heartbeat} until it is stopped, and on SIGTERM or Ctrl-C leaves them and exits 0: they read offline
 * at once unless another worker runs them too (any number of workers may run one agent). A worker that dies without
 * that is judged by its missing beats: it no longer keeps its agents online once {@code missed_beats} beats have not
 * arrived, by the database's clock.
 *
 * <p>With a broker it runs work: it consumes its agents' queues, claims each attempt in the store (a lease, renewed
 * with every beat) before acknowledging the delivery, runs the agent here, reports the result in the store guarded by
 * the attempt number, and rings the orchestrator's doorbell. On a stop it takes no more work, lets running attempts
 * finish within {@code execution.grace}, and hands back the rest (reported cancelled, so they run again elsewhere).
 */
@Command(name = "worker", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Register this machine's agents (the config's) as a worker's, online, heartbeat, and run the",
            "attempts orchestrators send them through the broker, until stopped (SIGTERM or Ctrl-C: running",
            "attempts get execution.grace, then are handed back; the agents go offline unless other workers run",
            "them). A worker whose workers.missed_beats beats are missed, by the database's clock, no longer keeps",
            "its agents online, and its leases pass."},
        footer = {"", "Exit codes: 0 stopped cleanly, 2 bad config or no agents, 5 database unavailable,",
            "9 broker unreachable, 10 an agent is registered with a different profile."})
final class WorkerCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--amqp", paramLabel = "URL", description = {"The broker (amqp://user:password@host:port/vhost;",
        "default: the global --amqp, $SWITCHBOARD_AMQP): an unreachable one is exit 9 within 5 s. Without one",
        "the worker only registers and beats."})
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
        // Before anything is registered: a stop asked for at any time after this is a clean stop.
        if (shell.ownsProcess()) {
            handleStopSignals();
        }
        String id = "w-" + UUID.randomUUID().toString().substring(0, 8);
        String broker = amqp != null ? amqp : workspace.amqpUrl();
        BrokerEndpoint endpoint = broker == null ? null : RemoteDispatch.reachable(broker, "switchboard-worker-" + id);
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
                    + (endpoint == null ? ". Without a broker (--amqp) it runs no work." : ". It takes work from "
                    + endpoint + "."));
        }
        shell.out().flush();
        if (io.switchboard.store.JdbcStore.UNFENCED_RESULTS) {
            shell.err().println("switchboard: SWITCHBOARD_UNSAFE_UNFENCED_RESULTS is set: results are accepted without"
                    + " checking the attempt; this loses work and exists only to test the soak");
        }
        RemoteWorker worker = null;
        BrokerSession session = null;
        if (endpoint != null) {
            List<AgentProfile> held = registration.registered().stream().map(RegisteredAgent::profile).toList();
            AtomicReference<Channel> notices = new AtomicReference<>();
            Topology topology = RemoteDispatch.topology(shell.env());
            worker = new RemoteWorker(id, store, store, Runners.local(config, shell.err()), config, held,
                    new AgentEnvironment(config, shell.env(), Map.of()), workspace.base(), settings.lease(),
                    shell.clock(), (key, orchestrator) -> {
                        Channel channel = notices.get();
                        if (channel != null && channel.isOpen()) {
                            try {
                                ResultNotices.publish(channel, topology, orchestrator, key);
                            } catch (IOException e) {
                                // Only a doorbell: the orchestrator finds the result in the store at its next look.
                            }
                        }
                    }, new Events(shell, json));
            RemoteWorker taking = worker;
            session = new BrokerSession(endpoint, "switchboard-worker-" + id, connection -> {
                Channel channel = connection.createChannel();
                ResultNotices.declare(channel, topology);
                notices.set(channel);
                List<WorkConsumer> consumers = new java.util.ArrayList<>();
                for (AgentProfile agent : held) {
                    consumers.add(WorkConsumer.start(connection, topology, agent.name(), agent.maxConcurrency(),
                            BrokerEndpoint.DEFAULT_TIMEOUT, taking::accept,
                            ConsumerListener.logging(System.getLogger("switchboard.worker"))));
                }
                return () -> consumers.forEach(WorkConsumer::close);
            }, BrokerSession.Listener.printing("switchboard: worker " + id, line -> {
                shell.err().println(line);
                shell.err().flush();
            }), Duration.ofMillis(100), Duration.ofSeconds(5)).start();
        }
        beatUntilStopped(store, id, settings, names.size(), shell, worker);
        if (session != null) {
            // No new deliveries; what was delivered and not yet claimed goes back to the queue for another worker.
            session.close();
        }
        if (worker != null) {
            try {
                worker.drain(config.execution().grace(), (running, stopped) -> {
                    if (running > 0) {
                        shell.err().println("switchboard: worker " + id + ": " + running + " attempt"
                                + (running == 1 ? "" : "s") + " running at the stop; " + stopped
                                + " handed back unfinished after the grace period");
                    }
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        int offline = store.leave(id);
        // The agents it ran that read online still: another worker runs them.
        int elsewhere = Math.max(0, names.size() - offline);
        if (json) {
            ObjectNode stopped = Json.object();
            stopped.put("event", "stopped");
            stopped.put("worker", id);
            stopped.put("offline", offline);
            stopped.put("online_elsewhere", elsewhere);
            shell.out().println(Json.line(stopped));
        } else {
            shell.out().println("Worker " + id + " stopped: " + offline + " agent" + (offline == 1 ? "" : "s")
                    + " offline" + (elsewhere == 0 ? "." : ", " + elsewhere + " still online on other workers."));
        }
        return ExitCodes.OK;
    }

    /**
     * Beats until a stop signal. A database that fails a beat is reported once per outage and tried again at the next
     * beat: meanwhile the worker no longer keeps its agents online, by the missed beats, and keeps them online again
     * with the first beat that lands.
     */
    private void beatUntilStopped(Store store, String id, WorkerSettings settings, int registered, Shell shell,
            RemoteWorker worker) {
        boolean failing = false;
        int lastHeld = registered;
        try {
            while (!stop.await(settings.heartbeat().toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    int held = store.beat(id);
                    if (worker != null) {
                        worker.renew();
                    }
                    if (failing) {
                        shell.err().println("switchboard: worker " + id + ": heartbeats reach the database again");
                        failing = false;
                    }
                    if (held < lastHeld) {
                        shell.err().println("switchboard: worker " + id + ": " + (registered - held) + " of its "
                                + registered + " agents were set offline, or it fell silent for longer than its"
                                + " window and another worker registered them since");
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

    /** What the worker does with its attempts, one line each on stdout (JSON lines with {@code --json}). */
    private record Events(Shell shell, boolean json) implements RemoteWorker.WorkerListener {
        @Override
        public void claimed(AttemptKey attempt, String agent) {
            print("claimed", attempt, "agent", agent);
        }

        @Override
        public void dropped(AttemptKey attempt, String reason) {
            print("dropped", attempt, "reason", reason);
        }

        @Override
        public void finished(AttemptKey attempt, RunResult result, RemoteAttempts.Report report) {
            String outcome = result.succeeded() ? "succeeded" : result.failure().toString();
            print(report.accepted() ? "reported" : "superseded", attempt, "outcome", report.accepted() ? outcome
                    : outcome + "; " + report.reason());
        }

        @Override
        public void lost(AttemptKey attempt) {
            print("lost", attempt, "reason", "its lease is no longer this worker's; the agent is stopped");
        }

        @Override
        public void storeFailed(AttemptKey attempt, String failure) {
            shell.err().println("switchboard: the store failed for " + attempt + ", trying again with back-off: "
                    + failure);
            shell.err().flush();
        }

        @Override
        public void storeRecovered(AttemptKey attempt) {
            shell.err().println("switchboard: the store answers again, for " + attempt);
            shell.err().flush();
        }

        private void print(String event, AttemptKey attempt, String key, String value) {
            synchronized (shell.out()) {
                if (json) {
                    ObjectNode line = Json.object();
                    line.put("event", event);
                    line.put("task", attempt.taskId());
                    line.put("attempt", attempt.number());
                    line.put(key, value);
                    shell.out().println(Json.line(line));
                } else {
                    shell.out().println(event + " " + attempt + ": " + value);
                }
                shell.out().flush();
            }
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
