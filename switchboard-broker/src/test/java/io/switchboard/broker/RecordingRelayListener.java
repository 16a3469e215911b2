package io.switchboard.broker;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/** Keeps what the relay reported, in order, for the tests to assert on. */
final class RecordingRelayListener implements RelayListener {
    final List<String> events = new CopyOnWriteArrayList<>();
    final List<Long> returned = new CopyOnWriteArrayList<>();
    final AtomicInteger sent = new AtomicInteger();
    final AtomicInteger refused = new AtomicInteger();

    @Override
    public void brokerAvailable(String topology) {
        events.add("available: " + topology);
    }

    @Override
    public void brokerUnavailable(String reason) {
        events.add("unavailable: " + reason);
    }

    @Override
    public void blocked(String reason) {
        events.add("blocked: " + reason);
    }

    @Override
    public void unblocked() {
        events.add("unblocked");
    }

    @Override
    public void sent(int rows) {
        sent.addAndGet(rows);
    }

    @Override
    public void returned(long rowId, String agent, String replyText) {
        returned.add(rowId);
        events.add("returned " + rowId + " for " + agent + ": " + replyText);
    }

    @Override
    public void refused(int rows) {
        refused.addAndGet(rows);
    }

    @Override
    public void unconfirmed(int rows, Duration after) {
        events.add("unconfirmed: " + rows);
    }

    @Override
    public void storeFailed(String reason) {
        events.add("store failed: " + reason);
    }

    @Override
    public void storeRecovered() {
        events.add("store recovered");
    }

    long count(String prefix) {
        return events.stream().filter(event -> event.startsWith(prefix)).count();
    }
}
