package io.switchboard.testkit;

import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;

/** A clock the test moves by hand: cooldowns, windows and decay are tested in milliseconds, with no sleeps. */
public final class MutableClock implements InstantSource {
    /** A fixed, unremarkable starting instant. */
    public static final Instant EPOCH = Instant.parse("2026-01-05T09:00:00Z");

    private Instant now;

    public MutableClock() {
        this(EPOCH);
    }

    public MutableClock(Instant start) {
        this.now = start;
    }

    @Override
    public synchronized Instant instant() {
        return now;
    }

    public synchronized MutableClock tick(Duration duration) {
        now = now.plus(duration);
        return this;
    }

    public synchronized MutableClock set(Instant instant) {
        now = instant;
        return this;
    }
}
