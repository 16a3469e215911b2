package io.switchboard.broker;

import com.rabbitmq.client.Connection;
import java.io.IOException;
import java.time.Duration;
import java.util.Objects;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * One connection to the broker that comes back by itself: a thread of its own connects, runs {@code setup} on the
 * new connection (declare queues, start consumers), and when the connection is lost (the broker restarted, the
 * network failed) closes what the setup opened, backs off exponentially and does it again. An outage is reported
 * once, when it begins, and once when it ends.
 *
 * <p>Consumers that need to outlive a broker restart run under a session; the {@link Relay} manages its own
 * connection, since it must also account for the confirms a lost connection took with it.
 */
public final class BrokerSession implements AutoCloseable {
    private final BrokerEndpoint endpoint;
    private final String name;
    private final Setup setup;
    private final Listener listener;
    private final Duration initialBackoff;
    private final Duration maxBackoff;
    private final CountDownLatch closed = new CountDownLatch(1);
    private final Object lock = new Object();
    private volatile Connection connection;
    private Thread thread;

    /** Opens what the session keeps on a new connection; what it returns is closed when the connection is lost. */
    @FunctionalInterface
    public interface Setup {
        AutoCloseable open(Connection connection) throws Exception;
    }

    /** Hears the session's outages; called on its thread; must not throw. */
    public interface Listener {
        default void connected(String broker) {
        }

        default void unavailable(String reason) {
        }

        Listener NONE = new Listener() {
        };

        /** One line per event on {@code sink}. */
        static Listener printing(String what, Consumer<String> sink) {
            return new Listener() {
                @Override
                public void connected(String broker) {
                    sink.accept(what + ": connected to the broker (" + broker + ")");
                }

                @Override
                public void unavailable(String reason) {
                    sink.accept(what + ": the broker is unavailable, retrying with back-off: " + reason);
                }
            };
        }
    }

    public BrokerSession(BrokerEndpoint endpoint, String name, Setup setup, Listener listener,
            Duration initialBackoff, Duration maxBackoff) {
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.name = Objects.requireNonNull(name, "name");
        this.setup = Objects.requireNonNull(setup, "setup");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.initialBackoff = Objects.requireNonNull(initialBackoff, "initialBackoff");
        this.maxBackoff = Objects.requireNonNull(maxBackoff, "maxBackoff");
    }

    /** Starts connecting on the session's thread; returns at once. */
    public BrokerSession start() {
        synchronized (lock) {
            if (thread == null) {
                thread = Thread.ofPlatform().daemon().name("broker-session-" + name).start(this::loop);
            }
        }
        return this;
    }

    /** Whether it holds an open connection now. */
    public boolean connected() {
        Connection current = connection;
        return current != null && current.isOpen();
    }

    /** The open connection, or {@code null} while there is none. */
    public Connection connection() {
        Connection current = connection;
        return current != null && current.isOpen() ? current : null;
    }

    private void loop() {
        long backoff = initialBackoff.toMillis();
        boolean down = false;
        while (closed.getCount() > 0) {
            Connection opened = null;
            AutoCloseable resources = null;
            try {
                opened = endpoint.connect(name);
                CountDownLatch lost = new CountDownLatch(1);
                opened.addShutdownListener(cause -> lost.countDown());
                resources = setup.open(opened);
                connection = opened;
                listener.connected(QueueKind.describe(opened.getServerProperties()));
                down = false;
                backoff = initialBackoff.toMillis();
                while (closed.getCount() > 0 && !lost.await(100, TimeUnit.MILLISECONDS)) {
                    // Held open until it is lost or the session is closed.
                }
                if (closed.getCount() > 0) {
                    listener.unavailable("the connection was lost: " + opened.getCloseReason());
                    down = true;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            } catch (Exception e) {
                if (!down) {
                    listener.unavailable(e.getMessage() == null ? e.toString() : e.getMessage());
                    down = true;
                }
            } finally {
                connection = null;
                closeQuietly(resources);
                if (opened != null && opened.isOpen()) {
                    try {
                        opened.close(1_000);
                    } catch (IOException | RuntimeException e) {
                        opened.abort(1_000);
                    }
                }
            }
            try {
                if (closed.await(backoff, TimeUnit.MILLISECONDS)) {
                    return;
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            backoff = Math.min(backoff * 2, maxBackoff.toMillis());
        }
    }

    private static void closeQuietly(AutoCloseable resources) {
        if (resources == null) {
            return;
        }
        try {
            resources.close();
        } catch (Exception e) {
            // The connection is going anyway; what it held goes with it.
        }
    }

    /** Closes what the setup opened and the connection, and stops reconnecting. */
    @Override
    public void close() {
        closed.countDown();
        Thread running;
        synchronized (lock) {
            running = thread;
        }
        if (running != null) {
            try {
                running.join(endpoint.timeout().toMillis() * 2);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }
}
