package io.switchboard.core.agent;

/** Who put an agent into the registry; config sync only ever touches the agents it owns. */
public enum AgentOrigin {
    /** Declared in switchboard.yaml (or .switchboard/agents.yaml) and synced at start. */
    CONFIG,
    /** Added by {@code switchboard agents add}. */
    CLI,
    /** Registered by a remote worker. */
    WORKER
}
