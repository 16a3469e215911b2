package io.switchboard.input.config;

/**
 * The commented {@code switchboard.yaml} that {@code switchboard init} writes: four well-known agents with
 * realistic profiles, the default rules written out, and the other sections commented out at their defaults.
 * It loads through {@link ConfigLoader} as it is.
 */
public final class StarterConfig {
    private StarterConfig() {
    }

    public static String text() {
        return TEXT;
    }

    private static final String TEXT = """
            # Switchboard configuration. Switchboard sends each task to the agent most likely to succeed at it,
            # and records why. Every key below is optional; a key Switchboard does not know is an error, so a
            # typo never goes unnoticed. Durations are written 500ms, 30s, 15m, 4h or 14d.

            # Agents: the programs that do the work. The adapter knows each CLI's command line for each mode
            # (the prompt goes on stdin or in a file, never on the command line):
            #   plan       read-only: the agent proposes, it changes nothing
            #   auto       edits files, asks for nothing risky
            #   full-auto  edits files and runs commands; the CLI's permission checks are skipped only for an
            #              agent that sets bypass_permissions to true (do that only in a container or a
            #              throwaway checkout)
            # `modes` adds your own flags after the adapter's (a model, say); `command` replaces only the
            # program (a CLI installed elsewhere). Strengths and weaknesses are free words matched against
            # what a task needs; capabilities (empty = any) limit which work types an agent accepts. Costs
            # are US dollars per 1,000 tokens, a blend of input and output prices, used where a CLI reports
            # tokens but no cost. `env` names the environment variables an agent may see besides
            # execution.env_allow (names only: values come from your environment, never from this file).
            agents:
              claude-code:
                adapter: claude-code          # runs: claude -p --output-format stream-json --verbose
                strengths: [reasoning, architecture, code-review]
                weaknesses: [speed]
                cost_per_1k_tokens: 0.015
                context_limit: 200000
                availability: local
                max_concurrency: 2
                # modes:
                #   auto: [--model, sonnet]
                # bypass_permissions: false
                # env: [ANTHROPIC_API_KEY]
                # timeout: 30m
                # idle_timeout: 5m

              codex:
                adapter: codex                # runs: codex exec --json --sandbox read-only|workspace-write -
                strengths: [speed, implement, refactor]
                cost_per_1k_tokens: 0.01
                context_limit: 400000
                availability: local
                max_concurrency: 2
                # env: [OPENAI_API_KEY]

              gemini:
                adapter: gemini               # runs: gemini --output-format json --approval-mode ...
                strengths: [large-context, research]
                cost_per_1k_tokens: 0.005
                context_limit: 1000000
                availability: local
                max_concurrency: 2
                # env: [GEMINI_API_KEY]

              aider:
                adapter: aider                # runs: aider --message-file FILE --yes-always ...
                strengths: [speed, refactor]
                cost_per_1k_tokens: 0.01      # depends on the model aider is set to use
                context_limit: 128000
                availability: local
                max_concurrency: 1

              # Any other program: the command adapter runs this argv (always a list, never one string).
              # my-agent:
              #   adapter: command
              #   command: [./bin/my-agent, --json]
              #   agent_type: infra
              #   capabilities: [deploy_service]

            # Rules run before scoring, in order; the first whose `when` matches the task may set the mode and
            # either prefer an agent (a bonus in scoring) or pin it (the only one allowed). An agent is named
            # directly (prefer: codex) or by strength (prefer: {strength: reasoning}). `when` takes type,
            # work_type, tags, min_complexity, max_complexity (0-100), scope, risk, needs_reasoning and
            # needs_iteration. These four are the built-in defaults: delete the whole `rules:` key to keep
            # following the defaults, or write `rules: []` for none.
            rules:
              - name: design-or-review          # the strongest reasoner proposes, changes nothing
                when: {type: [design, review]}
                mode: plan
                prefer: {strength: reasoning}
              - name: bulk-refactor             # the fastest iterating agent, hands off
                when: {type: [refactor], scope: [module, multi-module]}
                mode: full-auto
                prefer: {strength: speed}
              - name: rapid-implementation
                when: {type: [implement, fix], max_complexity: 40}
                mode: auto
                prefer: {strength: speed}
              - name: complex-implementation
                when: {type: [implement, fix], min_complexity: 60}
                mode: auto
                prefer: {strength: reasoning}

            # How candidates are scored. Presets: history (past outcomes), profile (what the agents declare)
            # and balanced (both, the default). Weights are points per factor and override the preset's:
            # success_rate, recent_context, specialization, strength, cost, context_fit, availability, load,
            # preference.
            # policy:
            #   preset: balanced
            #   weights: {success_rate: 40, cost: 10}
            #   min_samples: 10              # outcomes needed before a success rate counts (0.5 before)
            #   bayesian_prior: false        # true: start from the profile and learn from every outcome
            #   prior_strength: 4
            #   half_life: 14d               # with bayesian_prior, older outcomes count half as much per half-life
            #   recent_window: 4h            # a success this recent counts as recent context
            #   exploration: none            # thompson: sometimes try a less proven agent, replayably
            #   seed: 42
            #   availability_scores: {local: 1.0, remote: 0.8, optional: 0.5}
            #   heartbeat_timeout: 30s       # a remote agent silent this long is offline
            #   retry_same_agent_when_alone: false
            #   default_mode: auto           # when no rule sets one

            # Retries of a failed task, each on the next-best agent: delays start at initial_delay and grow by
            # multiplier up to max_delay; max_attempts counts the first attempt; deadline is optional.
            # retry:
            #   initial_delay: 2s
            #   multiplier: 2
            #   max_delay: 60s
            #   max_attempts: 3
            #   deadline: 2h

            # Spending limits in US dollars; a limit left out is unlimited.
            # budgets:
            #   per_task: 2.00
            #   per_plan: 20
            #   daily: 50

            # When an agent fails a task, try these next, in order (each must be an agent declared above).
            # fallbacks:
            #   codex: [claude-code]

            # How agents run. Agents see only these variables of your environment (plus their own `env`),
            # and every value of a variable named like a key, token, secret or password is redacted.
            # execution:
            #   env_allow: [PATH, HOME, USER, LOGNAME, LANG, LC_ALL, TERM, TMPDIR, SHELL]
            #   timeout: 30m            # wall-clock limit of one attempt (a task's or an agent's own wins)
            #   idle_timeout: 10m       # stop an agent that prints nothing for this long
            #   grace: 10s              # between TERM and KILL when an agent is stopped
            #   verify_timeout: 15m
            #   verify:                 # run after the agent, per work type, when a task names no verify command
            #     implement: ./mvnw -q test
            #   cooldowns:
            #     quota: 15m            # when a quota or rate limit does not say when it resets
            #     failure_window: 1h    # an agent failing more than half of its attempts in this window,
            #     failure_min_attempts: 5   # with at least this many, cools down for
            #     failure_cooldown: 10m

            # switchboard worker, on a machine of its own: how often it tells the database it is alive, and how
            # many beats in a row may go missing before its agents are offline (by the database's clock).
            # workers: {heartbeat: 5s, missed_beats: 3, claim_within: 60s}

            # Where task files are looked for, relative to this directory.
            tasks:
              folders: [tasks, .switchboard/tasks]
            """;
}
