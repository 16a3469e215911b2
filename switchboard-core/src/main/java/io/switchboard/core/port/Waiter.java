package io.switchboard.core.port;

import java.time.Instant;

/**
 * Waits for a due time. The due time itself is stored first (a waiting task survives a restart); this only
 * keeps the running orchestrator from spinning. The CLI waits on the real clock; tests move a hand-set clock.
 */
public interface Waiter {

    /**
     * Returns once {@code due} has come, or earlier when woken (a shutdown).
     *
     * @throws InterruptedException when the waiting thread is interrupted
     */
    void until(Instant due) throws InterruptedException;
}
