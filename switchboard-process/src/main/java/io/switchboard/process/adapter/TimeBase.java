package io.switchboard.process.adapter;

import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Objects;

/**
 * What "try again in 2 hours" and "resets 5pm" are read against: the current instant, and the zone the agent's
 * CLI prints local times in (the machine's own zone, since the CLI runs here). Injected so that reset times are
 * tested with a clock moved by hand.
 */
record TimeBase(InstantSource clock, ZoneId zone) {

    TimeBase {
        Objects.requireNonNull(clock, "clock");
        Objects.requireNonNull(zone, "zone");
    }

    Instant now() {
        return clock.instant();
    }
}
