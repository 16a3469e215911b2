-- liquibase formatted sql

-- Version 1: the agent registry, performance per agent and work type, and the routing decision log.

-- changeset switchboard:v1-agent-registry labels:v1
-- comment: Agents and their profiles; status and heartbeat live only here.
CREATE TABLE agent_registry (
    agent_id            ${uuid}     NOT NULL PRIMARY KEY,
    name                TEXT        NOT NULL UNIQUE,
    adapter             TEXT        NOT NULL,
    agent_type          TEXT        NOT NULL,
    pool_name           TEXT        NOT NULL,
    capabilities        ${json}     NOT NULL,
    specializations     ${json}     NOT NULL,
    strengths           ${json}     NOT NULL,
    weaknesses          ${json}     NOT NULL,
    cost_per_1k_tokens  ${float}    NOT NULL,
    context_limit       INTEGER     NOT NULL,
    availability        TEXT        NOT NULL,
    max_concurrency     INTEGER     NOT NULL,
    mode_flags          ${json}     NOT NULL,
    command             ${json}     NOT NULL,
    origin              TEXT        NOT NULL CHECK (origin IN ('config', 'cli', 'worker')),
    status              TEXT        NOT NULL CHECK (status IN ('online', 'offline', 'busy')),
    -- Set when config sync turned the agent offline because config no longer declares it, so that declaring
    -- it again brings it back; an agent a user set offline stays offline.
    retired             ${bool}     NOT NULL DEFAULT FALSE,
    last_heartbeat      ${instant},
    created_at          ${instant}  NOT NULL,
    updated_at          ${instant}  NOT NULL
);
CREATE INDEX ix_agent_registry_type_status ON agent_registry (agent_type, status);
CREATE INDEX ix_agent_registry_pool ON agent_registry (pool_name);
-- rollback DROP TABLE agent_registry;

-- changeset switchboard:v1-agent-performance labels:v1
-- comment: Outcomes per agent and work type, with exponentially decayed counts exact as of decayed_at.
CREATE TABLE agent_performance (
    agent_id           ${uuid}     NOT NULL REFERENCES agent_registry (agent_id) ON DELETE CASCADE,
    work_type          TEXT        NOT NULL,
    success_count      BIGINT      NOT NULL,
    failure_count      BIGINT      NOT NULL,
    decayed_successes  ${float}    NOT NULL,
    decayed_failures   ${float}    NOT NULL,
    decayed_at         ${instant},
    total_duration_ms  BIGINT      NOT NULL,
    last_execution     ${instant},
    difficulty         TEXT        CHECK (difficulty IN ('straightforward', 'tricky', 'failed')),
    tokens             BIGINT      NOT NULL,
    cost               ${float}    NOT NULL,
    CONSTRAINT uq_agent_performance UNIQUE (agent_id, work_type)
);
CREATE INDEX ix_agent_performance_work_type ON agent_performance (work_type);
-- rollback DROP TABLE agent_performance;

-- changeset switchboard:v1-routing-decisions labels:v1
-- comment: Every routing decision whole: candidates with every factor, exclusions, policy, traits, choice.
CREATE TABLE routing_decisions (
    id                    ${identity} PRIMARY KEY,
    task_id               TEXT        NOT NULL,
    attempt_number        INTEGER     NOT NULL,
    work_type             TEXT        NOT NULL,
    pool                  TEXT,
    -- Nulled when the agent is removed; selected_agent_name keeps who it was.
    selected_agent_id     ${uuid}     REFERENCES agent_registry (agent_id) ON DELETE SET NULL,
    selected_agent_name   TEXT,
    mode                  TEXT        NOT NULL,
    score                 ${float}    NOT NULL,
    success_rate_pct      ${float}    NOT NULL,
    specialization_match  ${bool}     NOT NULL,
    recent_context_match  ${bool}     NOT NULL,
    retried               ${bool}     NOT NULL,
    reason                TEXT        NOT NULL,
    policy_name           TEXT        NOT NULL,
    weights               ${json}     NOT NULL,
    candidates            ${json}     NOT NULL,
    exclusions            ${json}     NOT NULL,
    traits                ${json}     NOT NULL,
    rule                  TEXT,
    propensity            ${float}    NOT NULL,
    seed                  BIGINT,
    created_at            ${instant}  NOT NULL
);
CREATE INDEX ix_routing_decisions_task ON routing_decisions (task_id);
CREATE INDEX ix_routing_decisions_agent ON routing_decisions (selected_agent_id, created_at);
CREATE INDEX ix_routing_decisions_agent_name ON routing_decisions (selected_agent_name, created_at);
CREATE INDEX ix_routing_decisions_work_type ON routing_decisions (work_type, created_at);
-- rollback DROP TABLE routing_decisions;
