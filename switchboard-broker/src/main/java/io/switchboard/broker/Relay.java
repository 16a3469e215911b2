package io.switchboard.broker;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.Channel;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.Return;
import com.rabbitmq.client.ShutdownSignalException;
import io.switchboard.core.port.Outbox;
import io.switchboard.core.remote.OutboxRow;
import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ConcurrentNavigableMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Publishes the outbox: claims pending rows oldest first, in batches, publishes each to its agent's queue with
 * {@code mandatory} under asynchronous publisher confirms, and removes the confirmed ones from the outbox, a batch at a
 * time, in the transaction of its next claim ({@link Outbox#removeSentAndClaim}): one commit a turn.
 *
 * <p>Several relays may publish one outbox (each orchestrator sharing a database runs one), each under an id of its
 * own: a relay publishes only rows it has claimed ({@link Outbox#claimPending}), holding them from the others for
 * {@link RelayOptions#claimHold()} by the database's clock, and keeps them in memory until the broker has confirmed
 * them, renewing its claims every quarter of the hold ({@link Outbox#renewClaims}), so two relays never publish the
 * same pending row while its claim holds. A claim gives only rows nobody holds, so a relay never reads again what it
 * holds. The rows of a relay that died go to the others once its claims pass; one that is closed gives them up at
 * once.
 *
 * <p>Nothing is lost and nothing is removed unconfirmed:
 * <ul>
 *   <li>a row is removed only after the broker confirmed it; until then it stays pending in the store;</li>
 *   <li>a row the broker refused (nack: a full queue) is published again after {@link RelayOptions#retryDelay()},
 *       its attempt counted ({@link Outbox#publishing});</li>
 *   <li>a row the broker could route nowhere (returned: its agent's queue is gone) is reported, left pending, its
 *       queue declared again, and published again after the same delay;</li>
 *   <li>rows not confirmed within {@link RelayOptions#confirmTimeout()} mean the connection is broken: it is dropped
 *       and they are published on the next one;</li>
 *   <li>a broker that is down, lost, or blocked by a resource alarm delays publishing: the relay reconnects with
 *       exponential back-off, reporting each outage once ({@link RelayListener}), and meanwhile rows wait in the
 *       store.</li>
 * </ul>
 * Delivery is therefore at least once: a row whose confirm was lost with its connection is published again.
 *
 * <p>Threading: the relay works on a thread of its own, started by {@link #start()} and stopped by {@link #close()};
 * nobody else ever waits for the broker. {@link #wake()} (after committing new rows) makes it look at the outbox at
 * once instead of at its next poll. The broker's confirms, returns and alarms arrive on the connection's thread and
 * are handed over through concurrent sets.
 *
 * <p>Time: when a row's confirm is overdue and when a held-back row is due are read from the injected clock; polling
 * and back-off are real waits.
 */
public final class Relay implements AutoCloseable {
    /** Where the relay says which row a message is; the broker hands it back with a returned message. */
    static final String MESSAGE_ID_PREFIX = "outbox:";

    private final String relayId;
    private final Outbox outbox;
    private final BrokerEndpoint endpoint;
    private final Topology topology;
    private final RelayOptions options;
    private final InstantSource clock;
    private final RelayListener listener;
    private final WorkMessageCodec codec = new WorkMessageCodec();

    // Shared with the connection's thread.
    private final Set<Long> inFlightRows = ConcurrentHashMap.newKeySet();
    private final Set<Long> confirmedRows = ConcurrentHashMap.newKeySet();
    private final Set<Long> returnedRows = ConcurrentHashMap.newKeySet();
    private final ConcurrentLinkedQueue<OutboxRow> heldBackQueue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean blocked;
    private volatile Session session;
    private volatile boolean running;

    // The relay's thread only.
    /** Rows held back, by id, with when each is due to be published again. */
    private final Map<Long, HeldBack> heldBack = new HashMap<>();
    /** Rows to publish again at once: their connection was lost before the broker confirmed them. */
    private final ArrayDeque<OutboxRow> again = new ArrayDeque<>();
    /** When the relay last renewed its claims; null: it holds nothing it has not just claimed. */
    private Instant renewedAt;
    private boolean brokerDown;
    private boolean storeDown;
    private Duration backoff;

    private final ReentrantLock lock = new ReentrantLock();
    private final Condition signal = lock.newCondition();
    private boolean woken;
    private Thread thread;

    /**
     * A relay, not started.
     *
     * @param relayId what the relay claims rows under: unique among the relays of one outbox (an orchestrator's id)
     */
    public Relay(String relayId, Outbox outbox, BrokerEndpoint endpoint, Topology topology, RelayOptions options,
            InstantSource clock, RelayListener listener) {
        this.relayId = Objects.requireNonNull(relayId, "relayId");
        if (relayId.isBlank()) {
            throw new IllegalArgumentException("a relay's id is not blank, was '" + relayId + "'");
        }
        this.outbox = Objects.requireNonNull(outbox, "outbox");
        this.endpoint = Objects.requireNonNull(endpoint, "endpoint");
        this.topology = Objects.requireNonNull(topology, "topology");
        this.options = Objects.requireNonNull(options, "options");
        this.clock = Objects.requireNonNull(clock, "clock");
        this.listener = Objects.requireNonNull(listener, "listener");
        this.backoff = options.initialBackoff();
    }

    /** Starts the relay's thread and returns at once, whether or not the broker can be reached. */
    public synchronized Relay start() {
        if (thread != null) {
            throw new IllegalStateException("the relay was started already");
        }
        running = true;
        thread = Thread.ofPlatform().name("switchboard-relay-" + relayId).daemon().start(this::run);
        return this;
    }

    /** Makes the relay read the outbox now rather than at its next poll; cheap, never waits. */
    public void wake() {
        lock.lock();
        try {
            woken = true;
            signal.signalAll();
        } finally {
            lock.unlock();
        }
    }

    /** Whether the relay holds a connection to the broker. */
    public boolean connected() {
        Session current = session;
        return current != null && current.connection.isOpen();
    }

    /** Rows published and not confirmed yet. */
    public int unconfirmed() {
        return inFlightRows.size();
    }

    /**
     * Stops the thread and closes the connection; rows not confirmed yet stay pending in the store, and the relay gives
     * up its claims on them for the other relays (when the store fails to, they pass with their hold).
     */
    @Override
    public void close() {
        Thread started;
        synchronized (this) {
            started = thread;
            running = false;
        }
        wake();
        Session current = session;
        if (current != null) {
            current.abort();
        }
        if (started != null) {
            try {
                started.join(endpoint.timeout().toMillis() * 2 + 1_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            if (!started.isAlive()) {
                // Only once it publishes nothing more: the others may publish these rows as soon as they are free.
                try {
                    outbox.releaseClaims(relayId);
                } catch (RuntimeException e) {
                    listener.storeFailed(reason(e));
                }
            }
        }
    }

    private void run() {
        while (running) {
            try {
                step();
            } catch (RuntimeException e) {
                // A bug must not silently end publishing: the rows are safe in the store, so start over.
                listener.failed(reason(e));
                Session current = session;
                if (current != null) {
                    drop(current, null);
                }
                backOff();
            }
        }
        Session current = session;
        if (current != null) {
            current.abort();
        }
    }

    /**
     * One round: connect if need be, settle what the broker answered, expire the overdue, publish more (the claim
     * removing what was confirmed), remove what was confirmed when nothing was claimed, wait.
     */
    private void step() {
        Session current = session;
        if (current != null && !current.connection.isOpen()) {
            drop(current, "Lost the broker at " + endpoint + ": " + closeReason(current.connection));
            return;
        }
        if (current == null) {
            current = connect();
            if (current == null) {
                return;
            }
        }
        settle();
        if (!renewWhenDue() || expire(current)) {
            return;
        }
        Published published = blocked ? Published.WITHOUT_CLAIM : publish(current);
        if (published == Published.FAILED || published == Published.WITHOUT_CLAIM && !removeConfirmed()) {
            return;
        }
        await(options.pollInterval(), true);
    }

    /** What a turn's publishing came to. */
    private enum Published {
        /** The store or the broker failed; the turn ends. */
        FAILED,
        /** Rows were claimed, and what the broker had confirmed removed with the claim. */
        CLAIMED,
        /** Nothing was claimed (no room, or rows due again filled the batch); nothing was removed either. */
        WITHOUT_CLAIM
    }

    private Session connect() {
        Connection connection;
        try {
            connection = endpoint.connect("switchboard relay");
        } catch (BrokerException e) {
            brokerFailed(e.getMessage());
            return null;
        }
        try {
            Map<String, Object> properties = connection.getServerProperties();
            QueueKind kind = QueueKind.of(properties);
            Channel channel = connection.createChannel();
            String described = topology.declareShared(channel, kind, QueueKind.describe(properties));
            channel.confirmSelect();
            Session created = new Session(connection, channel, kind);
            channel.addConfirmListener(created::acknowledged, created::refused);
            channel.addReturnListener(created::returned);
            connection.addBlockedListener(reason -> {
                blocked = true;
                listener.blocked(reason);
            }, () -> {
                blocked = false;
                listener.unblocked();
                wake();
            });
            connection.addShutdownListener(cause -> wake());
            blocked = false;
            session = created;
            brokerDown = false;
            backoff = options.initialBackoff();
            listener.brokerAvailable(described);
            return created;
        } catch (IOException | RuntimeException e) {
            abort(connection);
            brokerFailed("The broker at " + endpoint + " refused the relay's queues: " + reason(e));
            return null;
        }
    }

    private void brokerFailed(String reason) {
        if (!brokerDown) {
            brokerDown = true;
            listener.brokerUnavailable(reason);
        }
        backOff();
    }

    /** Holds back what the broker returned or refused; what it confirmed is removed by the turn's store call. */
    private void settle() {
        Instant now = clock.instant();
        for (OutboxRow row; (row = heldBackQueue.poll()) != null; ) {
            heldBack.put(row.id(), new HeldBack(row, now.plus(options.retryDelay())));
        }
        int refusedRows = refused.getAndSet(0);
        if (refusedRows > 0) {
            listener.refused(refusedRows);
        }
    }

    /** Removes what the broker confirmed, for a turn that claimed nothing. False when the store failed. */
    private boolean removeConfirmed() {
        if (confirmedRows.isEmpty()) {
            return true;
        }
        List<Long> sent = List.copyOf(confirmedRows);
        try {
            outbox.removeSent(sent);
        } catch (RuntimeException e) {
            storeFailed(e);
            return false;
        }
        storeWorked();
        removed(sent);
        return true;
    }

    /** Rows the store has removed: the relay holds them no more. */
    private void removed(List<Long> sent) {
        if (!sent.isEmpty()) {
            sent.forEach(confirmedRows::remove);
            listener.sent(sent.size());
        }
    }

    /**
     * Renews the claims on every row the relay holds once a quarter of the hold has passed since it last did (or since
     * it claimed the rows it held before), so that no row it holds gets near the end of its claim. False when the
     * store failed: the relay tries again at its next turn, and its claims have three quarters of the hold to go.
     */
    private boolean renewWhenDue() {
        Instant now = clock.instant();
        if (renewedAt == null || now.isBefore(renewedAt.plus(options.claimHold().dividedBy(4)))) {
            return true;
        }
        if (inFlightRows.isEmpty() && confirmedRows.isEmpty() && heldBack.isEmpty() && again.isEmpty()) {
            renewedAt = null;
            return true;
        }
        try {
            outbox.renewClaims(relayId, options.claimHold());
        } catch (RuntimeException e) {
            storeFailed(e);
            return false;
        }
        storeWorked();
        renewedAt = now;
        return true;
    }

    /** Drops the connection when the oldest unconfirmed row is overdue. True when it did. */
    private boolean expire(Session current) {
        Map.Entry<Long, InFlight> oldest = current.unconfirmed.firstEntry();
        if (oldest == null || blocked
                || clock.instant().isBefore(oldest.getValue().publishedAt().plus(options.confirmTimeout()))) {
            return false;
        }
        listener.unconfirmed(current.unconfirmed.size(), options.confirmTimeout());
        drop(current, null);
        return true;
    }

    /**
     * Publishes the next batch: first the rows due again (lost with a connection, or held back and due), their attempt
     * counted, then as many newly claimed rows as there is room for, the claim removing what the broker confirmed.
     */
    private Published publish(Session current) {
        int room = options.maxUnconfirmed() - current.unconfirmed.size();
        if (room <= 0) {
            return Published.WITHOUT_CLAIM;
        }
        Instant now = clock.instant();
        int wanted = Math.min(room, options.batchSize());
        List<OutboxRow> batch = new ArrayList<>();
        for (OutboxRow row; batch.size() < wanted && (row = again.poll()) != null; ) {
            batch.add(row);
        }
        for (var due = heldBack.values().iterator(); batch.size() < wanted && due.hasNext(); ) {
            HeldBack held = due.next();
            if (!now.isBefore(held.due())) {
                batch.add(held.row());
                due.remove();
            }
        }
        int retried = batch.size();
        Published published = Published.WITHOUT_CLAIM;
        try {
            if (retried > 0) {
                outbox.publishing(batch.stream().map(OutboxRow::id).toList(), now);
            }
            if (batch.size() < wanted) {
                List<Long> sent = List.copyOf(confirmedRows);
                List<OutboxRow> claimed = outbox.removeSentAndClaim(sent, relayId, wanted - batch.size(),
                        options.claimHold(), now);
                published = Published.CLAIMED;
                removed(sent);
                if (!claimed.isEmpty() && renewedAt == null) {
                    renewedAt = now;
                }
                batch.addAll(claimed);
            }
        } catch (RuntimeException e) {
            // Still the relay's: published on the next turn.
            batch.subList(0, retried).forEach(again::add);
            storeFailed(e);
            return Published.FAILED;
        }
        storeWorked();
        if (batch.isEmpty()) {
            return published;
        }
        try {
            for (int i = 0; i < batch.size(); i++) {
                OutboxRow row = batch.get(i);
                if (!declared(current, row)) {
                    if (!current.channel.isOpen()) {
                        // The broker closed the channel over the queue it refused: the rest go on the next one.
                        batch.subList(i + 1, batch.size()).forEach(again::add);
                        drop(current, null);
                        return Published.FAILED;
                    }
                    continue;
                }
                long sequence = current.channel.getNextPublishSeqNo();
                inFlightRows.add(row.id());
                current.unconfirmed.put(sequence, new InFlight(row, now));
                current.channel.basicPublish(topology.workExchange(), row.agent(), true, properties(row),
                        codec.encode(row.message()));
            }
            return published;
        } catch (IOException | ShutdownSignalException e) {
            // The rows after the one that failed were never put in flight: keep them with the ones drop gives back.
            for (OutboxRow row : batch) {
                if (!inFlightRows.contains(row.id()) && !heldBack.containsKey(row.id())) {
                    again.add(row);
                }
            }
            drop(current, "Lost the broker at " + endpoint + " while publishing: " + reason(e));
            return Published.FAILED;
        }
    }

    /**
     * Declares the row's agent queue once per connection. A name no queue can have, or a queue the broker refuses
     * (one that exists with other arguments), holds the row back and is reported, without holding up other agents'
     * rows.
     */
    private boolean declared(Session current, OutboxRow row) {
        if (current.declaredAgents.contains(row.agent())) {
            return true;
        }
        try {
            topology.declareAgentQueue(current.channel, current.kind, row.agent());
        } catch (IllegalArgumentException | IOException e) {
            listener.returned(row.id(), row.agent(), "no queue for agent " + row.agent() + ": " + reason(e));
            heldBack.put(row.id(), new HeldBack(row, clock.instant().plus(options.retryDelay())));
            return false;
        }
        current.declaredAgents.add(row.agent());
        return true;
    }

    private static AMQP.BasicProperties properties(OutboxRow row) {
        return new AMQP.BasicProperties.Builder()
                .contentType(WorkMessageCodec.CONTENT_TYPE)
                .contentEncoding("utf-8")
                .deliveryMode(2)
                .priority(row.priority())
                .messageId(MESSAGE_ID_PREFIX + row.id())
                .type("work")
                .appId("switchboard")
                .build();
    }

    /** Forgets a connection: its unconfirmed rows are published again, first thing on the next one. */
    private void drop(Session dropped, String reason) {
        if (session == dropped) {
            session = null;
        }
        dropped.abort();
        for (InFlight inFlight : dropped.unconfirmed.values()) {
            inFlightRows.remove(inFlight.row().id());
            returnedRows.remove(inFlight.row().id());
            again.add(inFlight.row());
        }
        dropped.unconfirmed.clear();
        blocked = false;
        if (reason != null && !brokerDown) {
            brokerDown = true;
            listener.brokerUnavailable(reason);
        }
    }

    private void storeFailed(RuntimeException e) {
        if (!storeDown) {
            storeDown = true;
            listener.storeFailed(e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage());
        }
        backOff();
    }

    private void storeWorked() {
        if (storeDown) {
            storeDown = false;
            backoff = options.initialBackoff();
            listener.storeRecovered();
        }
    }

    private void backOff() {
        await(backoff, false);
        Duration doubled = backoff.multipliedBy(2);
        backoff = doubled.compareTo(options.maxBackoff()) > 0 ? options.maxBackoff() : doubled;
    }

    /** Waits up to {@code timeout}; {@link #close()} always ends the wait, {@link #wake()} only when asked. */
    private void await(Duration timeout, boolean wakeable) {
        lock.lock();
        try {
            long nanos = timeout.toNanos();
            while (running && nanos > 0 && !(wakeable && woken)) {
                nanos = signal.awaitNanos(nanos);
            }
            if (wakeable) {
                woken = false;
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            running = false;
        } finally {
            lock.unlock();
        }
    }

    private static String closeReason(Connection connection) {
        ShutdownSignalException cause = connection.getCloseReason();
        return cause == null ? "closed" : reason(cause);
    }

    private static String reason(Exception e) {
        Throwable cause = e;
        while (cause.getMessage() == null && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause.getMessage() == null ? cause.getClass().getSimpleName() : cause.getMessage();
    }

    private static void abort(Connection connection) {
        connection.abort(1_000);
    }

    private record InFlight(OutboxRow row, Instant publishedAt) {
    }

    private record HeldBack(OutboxRow row, Instant due) {
    }

    /** One connection and its channel in confirm mode, with what was published on it and not confirmed yet. */
    private final class Session {
        final Connection connection;
        final Channel channel;
        final QueueKind kind;
        /** By publish sequence number, which the broker's confirms name. */
        final ConcurrentNavigableMap<Long, InFlight> unconfirmed = new ConcurrentSkipListMap<>();
        /** Agents whose queue was declared on this connection; only the relay's thread touches it. */
        final Set<String> declaredAgents = ConcurrentHashMap.newKeySet();

        Session(Connection connection, Channel channel, QueueKind kind) {
            this.connection = connection;
            this.channel = channel;
            this.kind = kind;
        }

        /** Confirms: the broker has the row (or returned it first, then it is held back, not sent). */
        void acknowledged(long sequence, boolean multiple) {
            for (InFlight inFlight : settled(sequence, multiple)) {
                long id = inFlight.row().id();
                if (returnedRows.remove(id)) {
                    heldBackQueue.add(inFlight.row());
                } else {
                    // Confirmed before no longer in flight, so that a concurrent read skips the row either way.
                    confirmedRows.add(id);
                }
                inFlightRows.remove(id);
            }
            wake();
        }

        /** Refusals: the row stays pending and is published again after the retry delay. */
        void refused(long sequence, boolean multiple) {
            for (InFlight inFlight : settled(sequence, multiple)) {
                long id = inFlight.row().id();
                if (!returnedRows.remove(id)) {
                    refused.incrementAndGet();
                }
                heldBackQueue.add(inFlight.row());
                inFlightRows.remove(id);
            }
            wake();
        }

        private Collection<InFlight> settled(long sequence, boolean multiple) {
            if (!multiple) {
                InFlight one = unconfirmed.remove(sequence);
                return one == null ? List.of() : List.of(one);
            }
            ConcurrentNavigableMap<Long, InFlight> upTo = unconfirmed.headMap(sequence, true);
            List<InFlight> all = new ArrayList<>(upTo.values());
            upTo.clear();
            return all;
        }

        /**
         * A row routed nowhere. RabbitMQ sends the return before the row's confirm, Qpid after refusing it: a row
         * still unconfirmed is held back when its confirm comes; one already refused is held back already.
         */
        void returned(Return returned) {
            String messageId = returned.getProperties().getMessageId();
            if (messageId == null || !messageId.startsWith(MESSAGE_ID_PREFIX)) {
                return;
            }
            long id;
            try {
                id = Long.parseLong(messageId.substring(MESSAGE_ID_PREFIX.length()));
            } catch (NumberFormatException e) {
                return;
            }
            declaredAgents.remove(returned.getRoutingKey());
            if (inFlightRows.contains(id)) {
                returnedRows.add(id);
            }
            listener.returned(id, returned.getRoutingKey(), returned.getReplyCode() + " " + returned.getReplyText());
        }

        void abort() {
            Relay.abort(connection);
        }
    }
}
