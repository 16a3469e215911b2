package io.switchboard.cli;

import io.switchboard.broker.BrokerEndpoint;
import io.switchboard.broker.BrokerException;
import io.switchboard.broker.BrokerSession;
import io.switchboard.broker.Relay;
import io.switchboard.broker.RelayListener;
import io.switchboard.broker.RelayOptions;
import io.switchboard.broker.ResultNotices;
import io.switchboard.broker.SubmitNotices;
import io.switchboard.broker.Topology;
import io.switchboard.core.execution.Dispatcher;
import io.switchboard.core.remote.RemoteRunner;
import io.switchboard.store.Store;
import java.io.IOException;
import java.io.PrintWriter;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * An orchestrator's side of remote workers, when it has a broker: the relay that publishes the outbox (under the
 * orchestrator's id, sharing the outbox with the relays of other orchestrators on the database), the queue that
 * hears workers' result notices, the {@link RemoteRunner} that waits for results in the store, and a thread that marks
 * passed leases expired every {@link #CHECK_EVERY}.
 */
final class RemoteDispatch implements AutoCloseable {
    /** How often leases are judged, and how often a waiting attempt looks at the store when no notice came. */
    static final Duration CHECK_EVERY = Duration.ofSeconds(1);

    private final Relay relay;
    private final BrokerSession notices;
    private final RemoteRunner runner;
    private final Thread checker;
    private final CountDownLatch closed;
    private final Dispatcher.Remote remote;

    private RemoteDispatch(Relay relay, BrokerSession notices, RemoteRunner runner, Thread checker,
            CountDownLatch closed, Dispatcher.Remote remote) {
        this.closed = closed;
        this.relay = relay;
        this.notices = notices;
        this.runner = runner;
        this.checker = checker;
        this.remote = remote;
    }

    /**
     * Checks that the broker answers (exit 9 within its timeout when it does not), then starts the relay, the notice
     * queue and the lease checker.
     *
     * @param submitted runs each time {@code switchboard submit} says it stored tasks ({@link SubmitNotices})
     */
    static RemoteDispatch start(String amqpUrl, Store store, String orchestratorId, Duration claimWithin,
            Topology topology, java.time.InstantSource clock, PrintWriter err, Runnable submitted) {
        BrokerEndpoint endpoint = reachable(amqpUrl, "switchboard-orchestrator-" + orchestratorId);
        Relay relay = new Relay(orchestratorId, store, endpoint, topology, RelayOptions.DEFAULTS, clock, events(err))
                .start();
        RemoteRunner runner = new RemoteRunner(store, orchestratorId, CHECK_EVERY);
        BrokerSession notices = new BrokerSession(endpoint, "switchboard-results-" + orchestratorId,
                connection -> {
                    // The queue hearing 'submit' (see SubmitNotices) goes with the connection, like the results'.
                    SubmitNotices.listen(connection, topology, submitted);
                    return ResultNotices.listen(connection, topology, orchestratorId, runner::reported);
                },
                BrokerSession.Listener.printing("switchboard: result notices", line -> {
                    err.println(line);
                    err.flush();
                }), Duration.ofMillis(100), Duration.ofSeconds(5)).start();
        CountDownLatch closed = new CountDownLatch(1);
        Thread checker = Thread.ofPlatform().daemon().name("switchboard-leases").unstarted(() -> check(runner, closed,
                err));
        RemoteDispatch dispatch = new RemoteDispatch(relay, notices, runner, checker, closed,
                new Dispatcher.Remote(store, runner, claimWithin, relay::wake));
        checker.start();
        return dispatch;
    }

    /** The relay's outages, one line each on stderr; its routine (rows sent) is not printed. */
    private static RelayListener events(PrintWriter err) {
        return new RelayListener() {
            private void print(String line) {
                synchronized (err) {
                    err.println("switchboard: relay: " + line);
                    err.flush();
                }
            }

            @Override
            public void brokerUnavailable(String reason) {
                print("the broker is unavailable; messages wait in the outbox: " + reason);
            }

            @Override
            public void blocked(String reason) {
                print("the broker blocked publishing (" + reason + "); messages wait in the outbox");
            }

            @Override
            public void unblocked() {
                print("the broker accepts messages again");
            }

            @Override
            public void storeFailed(String reason) {
                print("reading the outbox failed, trying again: " + reason);
            }

            @Override
            public void failed(String reason) {
                print("starting over after an unexpected failure: " + reason);
            }

            @Override
            public void returned(long rowId, String agent, String replyText) {
                print("agent " + agent + "'s queue is gone (" + replyText + "); declaring it again");
            }
        };
    }

    private static void check(RemoteRunner runner, CountDownLatch closed, PrintWriter err) {
        boolean failing = false;
        try {
            while (!closed.await(CHECK_EVERY.toMillis(), TimeUnit.MILLISECONDS)) {
                try {
                    runner.check();
                    failing = false;
                } catch (RuntimeException e) {
                    if (!failing) {
                        err.println("switchboard: judging leases failed, trying again: " + e.getMessage());
                        failing = true;
                    }
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * The broker at {@code amqpUrl}, once a first connection (named {@code connection}) was opened and closed: a bad URL
     * is a usage error, a broker that cannot be reached or refuses the login is exit 9, within the endpoint's timeout.
     * What keeps running opens connections of its own.
     */
    static BrokerEndpoint reachable(String amqpUrl, String connection) {
        BrokerEndpoint endpoint;
        try {
            endpoint = BrokerEndpoint.of(amqpUrl);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("--amqp: " + e.getMessage());
        }
        try (var first = endpoint.connect(connection)) {
            // Reached and logged in.
        } catch (BrokerException e) {
            throw new CliException(ExitCodes.BROKER, e.getMessage());
        } catch (IOException e) {
            throw new CliException(ExitCodes.BROKER, "The broker at " + endpoint + " failed while closing the first"
                    + " connection: " + e.getMessage());
        }
        return endpoint;
    }

    /**
     * Tells the orchestrators serving the database that tasks were stored ({@link SubmitNotices}), so that they claim
     * them now rather than at their next look. A doorbell: when the broker cannot be told, a line on stderr says so,
     * and the tasks, stored already, wait for that look.
     */
    static void ringSubmitted(BrokerEndpoint endpoint, Topology topology, PrintWriter err) {
        try (var connection = endpoint.connect("switchboard-submit");
                var channel = connection.createChannel()) {
            SubmitNotices.publish(channel, topology);
        } catch (BrokerException | IOException | java.util.concurrent.TimeoutException e) {
            err.println("switchboard: the tasks are stored, but the broker could not be told (" + e.getMessage()
                    + "); orchestrators find them at their next look");
            err.flush();
        }
    }

    /**
     * The queues' names: under {@code $SWITCHBOARD_QUEUE_PREFIX} when it is set (teams or tests sharing one broker
     * keep apart by it), else under {@value Topology#DEFAULT_PREFIX}.
     */
    static Topology topology(java.util.Map<String, String> env) {
        String prefix = env.get("SWITCHBOARD_QUEUE_PREFIX");
        if (prefix == null || prefix.isBlank()) {
            return Topology.defaults();
        }
        try {
            return new Topology(prefix, Topology.DEFAULT_DELIVERY_LIMIT, 0);
        } catch (IllegalArgumentException e) {
            throw CliException.usage("SWITCHBOARD_QUEUE_PREFIX: " + e.getMessage());
        }
    }

    Dispatcher.Remote remote() {
        return remote;
    }

    @Override
    public void close() {
        closed.countDown();
        checker.interrupt();
        notices.close();
        relay.close();
    }
}
