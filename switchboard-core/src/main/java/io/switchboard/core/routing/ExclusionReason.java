package io.switchboard.core.routing;

/** Why a hard filter kept an agent out, in the order the filters run. */
public enum ExclusionReason {
    NOT_IN_POOL,
    NOT_CAPABLE,
    EXCLUDED_BY_USER,
    PINNED_ELSEWHERE,
    UNREACHABLE,
    OFFLINE,
    BUSY,
    HEARTBEAT_STALE,
    COOLING_DOWN,
    AT_MAX_CONCURRENCY,
    CONTEXT_TOO_SMALL,
    OVER_MAX_COST,
    OVER_BUDGET,
    FAILED_THIS_TASK;

    public String configName() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
