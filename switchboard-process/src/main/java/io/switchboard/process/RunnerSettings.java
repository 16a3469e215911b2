package io.switchboard.process;

import static io.switchboard.core.Require.require;

import java.time.Duration;
import java.util.Objects;

/**
 * How the local runner supervises agents. {@link #defaults()} suits real agents; every value is checked here,
 * once, and a bad one is quoted.
 *
 * @param gracePeriod between SIGTERM and SIGKILL when a run is stopped (zero: KILL right after TERM)
 * @param headBytes how many bytes of the start of each output stream are kept
 * @param tailBytes how many bytes of the end of each output stream are kept
 * @param outputLimitBytes past this many bytes on standard output and error together, the agent is stopped
 *     with {@link io.switchboard.core.execution.FailureType#OUTPUT_LIMIT}
 * @param lineCapBytes the longest line handed to an adapter's reader; longer lines are cut and marked
 *     truncated
 * @param versionTimeout how long an agent's {@code --version} may take
 * @param drainTimeout how long, once an agent and its process group are gone, to wait for its output streams
 *     to end before giving up on them (only a process that escaped both group and marker keeps them open)
 * @param newProcessGroup whether to start each agent in a process group of its own (needs posix_spawn or the
 *     {@code setsid} program; see docs/supervision.md for what changes without it)
 * @param nativeSpawn whether to start agents with posix_spawn(3) where this JVM can call it (Java 22 or later, Linux
 *     with glibc 2.34 or later, native access allowed); otherwise, and when {@code false}, through the JDK's
 *     {@link ProcessBuilder} and {@code setsid}. Only with {@code newProcessGroup}
 */
public record RunnerSettings(
        Duration gracePeriod,
        int headBytes,
        int tailBytes,
        long outputLimitBytes,
        int lineCapBytes,
        Duration versionTimeout,
        Duration drainTimeout,
        boolean newProcessGroup,
        boolean nativeSpawn) {

    public static final Duration DEFAULT_GRACE_PERIOD = Duration.ofSeconds(5);
    public static final int DEFAULT_HEAD_BYTES = 1 << 20;
    public static final int DEFAULT_TAIL_BYTES = 1 << 20;
    public static final long DEFAULT_OUTPUT_LIMIT_BYTES = 256L << 20;
    public static final int DEFAULT_LINE_CAP_BYTES = 1 << 20;
    public static final Duration DEFAULT_VERSION_TIMEOUT = Duration.ofSeconds(10);
    public static final Duration DEFAULT_DRAIN_TIMEOUT = Duration.ofSeconds(2);

    public RunnerSettings {
        Objects.requireNonNull(gracePeriod, "gracePeriod");
        Objects.requireNonNull(versionTimeout, "versionTimeout");
        Objects.requireNonNull(drainTimeout, "drainTimeout");
        require(!gracePeriod.isNegative(), "grace period must be zero or more, was %s", gracePeriod);
        require(headBytes >= 0, "head bytes must be zero or more, was %s", headBytes);
        require(tailBytes >= 0, "tail bytes must be zero or more, was %s", tailBytes);
        require(outputLimitBytes > 0, "output limit must be more than zero bytes, was %s", outputLimitBytes);
        require(lineCapBytes > 0, "line cap must be more than zero bytes, was %s", lineCapBytes);
        require(versionTimeout.isPositive(), "version timeout must be more than zero, was %s", versionTimeout);
        require(!drainTimeout.isNegative(), "drain timeout must be zero or more, was %s", drainTimeout);
    }

    public static RunnerSettings defaults() {
        return new RunnerSettings(DEFAULT_GRACE_PERIOD, DEFAULT_HEAD_BYTES, DEFAULT_TAIL_BYTES,
                DEFAULT_OUTPUT_LIMIT_BYTES, DEFAULT_LINE_CAP_BYTES, DEFAULT_VERSION_TIMEOUT, DEFAULT_DRAIN_TIMEOUT,
                true, true);
    }

    public RunnerSettings withGracePeriod(Duration value) {
        return new RunnerSettings(value, headBytes, tailBytes, outputLimitBytes, lineCapBytes, versionTimeout,
                drainTimeout, newProcessGroup, nativeSpawn);
    }

    /** Keeps {@code head} bytes of the start and {@code tail} bytes of the end of each stream. */
    public RunnerSettings withKept(int head, int tail) {
        return new RunnerSettings(gracePeriod, head, tail, outputLimitBytes, lineCapBytes, versionTimeout,
                drainTimeout, newProcessGroup, nativeSpawn);
    }

    public RunnerSettings withOutputLimit(long bytes) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, bytes, lineCapBytes, versionTimeout,
                drainTimeout, newProcessGroup, nativeSpawn);
    }

    public RunnerSettings withLineCap(int bytes) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, outputLimitBytes, bytes, versionTimeout,
                drainTimeout, newProcessGroup, nativeSpawn);
    }

    public RunnerSettings withVersionTimeout(Duration value) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, outputLimitBytes, lineCapBytes, value,
                drainTimeout, newProcessGroup, nativeSpawn);
    }

    public RunnerSettings withDrainTimeout(Duration value) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, outputLimitBytes, lineCapBytes, versionTimeout,
                value, newProcessGroup, nativeSpawn);
    }

    public RunnerSettings withNewProcessGroup(boolean value) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, outputLimitBytes, lineCapBytes, versionTimeout,
                drainTimeout, value, nativeSpawn);
    }

    public RunnerSettings withNativeSpawn(boolean value) {
        return new RunnerSettings(gracePeriod, headBytes, tailBytes, outputLimitBytes, lineCapBytes, versionTimeout,
                drainTimeout, newProcessGroup, value);
    }
}
