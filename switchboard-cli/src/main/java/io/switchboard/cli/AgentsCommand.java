package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentOrigin;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.AgentStatus;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import io.switchboard.core.routing.Cooldown;
import io.switchboard.store.Store;
import java.time.Instant;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/** {@code switchboard agents}: the registry. Declared agents are synced from config first. */
@Command(name = "agents", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List, show, add, remove agents, and see or set their status.",
        subcommands = {
            AgentsCommand.ListAgents.class,
            AgentsCommand.Show.class,
            AgentsCommand.Add.class,
            AgentsCommand.Remove.class,
            AgentsCommand.Status.class,
        })
final class AgentsCommand implements Runnable {
    @ParentCommand
    SwitchboardCommand root;

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(root.shell().out());
    }

    /** The store with config synced in; every agents subcommand starts here. */
    Store store() {
        return root.workspace().syncedStore();
    }

    Instant now() {
        return root.shell().clock().instant();
    }

    RegisteredAgent require(String name) {
        return store().find(name).orElseThrow(() -> noSuchAgent(name));
    }

    static CliException noSuchAgent(String name) {
        return CliException.notFound("no agent named '" + name + "'");
    }

    @Command(name = "list", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "List every registered agent.")
    static final class ListAgents implements Callable<Integer> {
        @ParentCommand
        AgentsCommand agents;

        @Option(names = "--json", description = "Print the agents as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Store store = agents.store();
            List<RegisteredAgent> registered = store.agents();
            Map<UUID, Integer> inFlight = store.inFlightByAgent();
            Shell shell = agents.root.shell();
            if (json) {
                ArrayNode array = Json.array();
                registered.forEach(a -> array.add(Json.agent(a, inFlight.getOrDefault(a.id(), 0))));
                shell.out().println(Json.write(array));
                return ExitCodes.OK;
            }
            if (registered.isEmpty()) {
                shell.out().println("No agents. Run 'switchboard init' for a starter config, or 'switchboard agents add'.");
                return ExitCodes.OK;
            }
            Table table = new Table("name", "adapter", "pool", "status", "load", "$/1k tok", "context", "availability",
                    "strengths").right(4, 5, 6);
            for (RegisteredAgent agent : registered) {
                AgentProfile p = agent.profile();
                table.row(p.name(), p.adapter().configName(), p.pool(), agent.status().configName(),
                        inFlight.getOrDefault(agent.id(), 0) + "/" + p.maxConcurrency(),
                        DecisionText.fixed(p.costPer1kTokens(), 4), p.contextLimit(), p.availability().configName(),
                        String.join(", ", p.strengths()));
            }
            shell.out().print(table.render(""));
            return ExitCodes.OK;
        }
    }

    @Command(name = "show", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Show one agent: its profile, status and record per work type.")
    static final class Show implements Callable<Integer> {
        @ParentCommand
        AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "The agent.")
        String name;

        @Option(names = "--json", description = "Print the agent as JSON.")
        boolean json;

        @Override
        public Integer call() {
            RegisteredAgent agent = agents.require(name);
            Store store = agents.store();
            int inFlight = store.inFlightByAgent().getOrDefault(agent.id(), 0);
            List<AgentPerformance> records = store.all().stream().filter(r -> r.agentId().equals(agent.id())).toList();
            Cooldown cooldown = store.active(agents.now()).get(agent.id());
            Shell shell = agents.root.shell();
            if (json) {
                ObjectNode node = Json.agent(agent, inFlight);
                node.put("cooling_down_until", cooldown == null || cooldown.untilConfigChanges() ? null
                            : cooldown.until().toString());
                    node.put("cooling_down_until_config_changes", cooldown != null && cooldown.untilConfigChanges());
                ArrayNode performance = node.putArray("performance");
                records.forEach(r -> performance.add(Json.performance(r, agent.name())));
                shell.out().println(Json.write(node));
                return ExitCodes.OK;
            }
            AgentProfile p = agent.profile();
            Table table = new Table("field", "value");
            table.row("name", p.name());
            table.row("id", agent.id());
            table.row("adapter", p.adapter().configName());
            table.row("agent type", p.agentType());
            table.row("pool", p.pool());
            table.row("origin", agent.origin().name().toLowerCase(java.util.Locale.ROOT)
                    + originDetail(agents.root.workspace(), p.name()));
            table.row("status", agent.status().configName());
            table.row("last heartbeat", agent.lastHeartbeat() == null ? "-" : agent.lastHeartbeat());
            table.row("in flight", inFlight + " of " + p.maxConcurrency());
            table.row("cooling down", cooldown == null ? "no" : cooldownText(cooldown));
            table.row("capabilities", p.capabilities().isEmpty() ? "any" : String.join(", ", p.capabilities()));
            table.row("specializations", String.join(", ", p.specializations()));
            table.row("strengths", String.join(", ", p.strengths()));
            table.row("weaknesses", String.join(", ", p.weaknesses()));
            table.row("cost per 1k tokens", "$" + DecisionText.fixed(p.costPer1kTokens(), 4));
            table.row("context limit", p.contextLimit());
            table.row("availability", p.availability().configName());
            for (Mode mode : Mode.values()) {
                table.row("flags (" + mode.configName() + ")", String.join(" ", p.flagsFor(mode)));
            }
            if (!p.command().isEmpty()) {
                table.row("command", String.join(" ", p.command()));
            }
            shell.out().print(table.render(""));
            if (!records.isEmpty()) {
                shell.out().println();
                Table perf = new Table("work type", "succeeded", "failed", "last execution").right(1, 2);
                records.forEach(r -> perf.row(r.workType(), r.successes(), r.failures(),
                        r.lastExecution() == null ? "-" : r.lastExecution()));
                shell.out().print(perf.render(""));
            }
            return ExitCodes.OK;
        }

        private static String originDetail(Workspace workspace, String name) {
            String where = workspace.config().agentOrigins().get(name);
            return where == null ? "" : " (" + where + ")";
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = "Register an agent that is not declared in config.")
    static final class Add implements Callable<Integer> {
        @ParentCommand
        AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "A unique name.")
        String name;

        @Option(names = "--adapter", paramLabel = "KIND",
                description = "claude-code, codex, gemini, cursor, aider or command (default: inferred from the name).")
        String adapter;

        @Option(names = "--type", paramLabel = "TYPE", description = "Agent type (default code).")
        String agentType;

        @Option(names = "--pool", paramLabel = "POOL", description = "Pool (default: the agent type).")
        String pool;

        @Option(names = "--capability", paramLabel = "WORK", split = ",", description = "Work types it accepts (default any).")
        List<String> capabilities = new ArrayList<>();

        @Option(names = "--specialization", paramLabel = "WORK", split = ",", description = "Work types it is best at.")
        List<String> specializations = new ArrayList<>();

        @Option(names = "--strength", paramLabel = "SKILL", split = ",", description = "Skills it is good at.")
        List<String> strengths = new ArrayList<>();

        @Option(names = "--weakness", paramLabel = "SKILL", split = ",", description = "Skills it is poor at.")
        List<String> weaknesses = new ArrayList<>();

        @Option(names = "--cost", paramLabel = "DOLLARS", defaultValue = "0", description = "Cost per 1k tokens.")
        double cost;

        @Option(names = "--context-limit", paramLabel = "TOKENS", defaultValue = "200000", description = "Context limit.")
        int contextLimit;

        @Option(names = "--availability", paramLabel = "WHERE", defaultValue = "local",
                description = "local, remote or optional.")
        String availability;

        @Option(names = "--max-concurrency", paramLabel = "N", defaultValue = "1", description = "Attempts at once.")
        int maxConcurrency;

        @Option(names = "--command", paramLabel = "ARG", arity = "1..*",
                description = "For the command adapter: the program and its arguments, as separate words.")
        List<String> command = new ArrayList<>();

        @Override
        public Integer call() {
            Workspace workspace = agents.root.workspace();
            String declaredAt = workspace.config().agentOrigins().get(name);
            if (declaredAt != null) {
                throw CliException.usage("agent '" + name + "' is declared in " + declaredAt + "; change it there");
            }
            if (agents.store().find(name).isPresent()) {
                throw CliException.usage("an agent named '" + name + "' already exists; remove it first");
            }
            Adapter kind = adapter == null ? Adapter.inferFromAgentName(name) : Adapter.fromConfigName(adapter)
                    .orElseThrow(() -> CliException.usage("--adapter must be one of " + Adapter.allowedNames()
                            + ", was '" + adapter + "'"));
            Availability where = Availability.fromConfigName(availability)
                    .orElseThrow(() -> CliException.usage("--availability must be local, remote or optional, was '"
                            + availability + "'"));
            // The profile checks these too; checking them here lets the message name the flag.
            if (!(cost >= 0)) {
                throw CliException.usage("--cost must be zero or more, was " + cost);
            }
            if (contextLimit <= 0) {
                throw CliException.usage("--context-limit must be more than zero, was " + contextLimit);
            }
            if (maxConcurrency <= 0) {
                throw CliException.usage("--max-concurrency must be more than zero, was " + maxConcurrency);
            }
            if (kind == Adapter.COMMAND && command.isEmpty()) {
                throw CliException.usage("the command adapter needs --command PROGRAM [ARG…]");
            }
            AgentProfile profile;
            try {
                profile = new AgentProfile(name, kind, agentType, pool, capabilities, specializations, strengths,
                        weaknesses, cost, contextLimit, where, maxConcurrency, new EnumMap<Mode, List<String>>(Mode.class),
                        command);
            } catch (IllegalArgumentException e) {
                throw CliException.usage(e.getMessage());
            }
            RegisteredAgent added = agents.store().register(profile, AgentOrigin.CLI, agents.now());
            agents.root.shell().out().println("Added " + added.name() + " (" + kind.configName() + ", pool "
                    + profile.pool() + ", id " + added.id() + ").");
            return ExitCodes.OK;
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Delete an agent added with 'agents add' or by a worker.",
                "Its performance history goes with it; decisions keep its name."})
    static final class Remove implements Callable<Integer> {
        @ParentCommand
        AgentsCommand agents;

        @Parameters(paramLabel = "NAME", description = "The agent.")
        String name;

        @Override
        public Integer call() {
            String declaredAt = agents.root.workspace().config().agentOrigins().get(name);
            if (declaredAt != null) {
                throw CliException.usage("agent '" + name + "' is declared in " + declaredAt
                        + "; remove it there (it would come back at the next start)");
            }
            if (!agents.store().remove(name)) {
                throw noSuchAgent(name);
            }
            agents.root.shell().out().println("Removed " + name + ".");
            return ExitCodes.OK;
        }
    }

    @Command(name = "status", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
            description = {"Show every agent's health (status, heartbeat, load, cooldown),",
                "or set one agent's status with --set."})
    static final class Status implements Callable<Integer> {
        @ParentCommand
        AgentsCommand agents;

        @Parameters(paramLabel = "NAME", arity = "0..1", description = "One agent (default: all).")
        String name;

        @Option(names = "--set", paramLabel = "STATUS", description = "online, offline or busy.")
        String set;

        @Option(names = "--json", description = "Print as JSON.")
        boolean json;

        @Override
        public Integer call() {
            Store store = agents.store();
            if (set != null) {
                if (name == null) {
                    throw CliException.usage("--set needs an agent name");
                }
                AgentStatus status = AgentStatus.fromConfigName(set).orElseThrow(() -> CliException.usage(
                        "--set must be online, offline or busy, was '" + set + "'"));
                if (!store.setStatus(name, status, agents.now())) {
                    throw noSuchAgent(name);
                }
                agents.root.shell().out().println(name + " is now " + status.configName() + ".");
                return ExitCodes.OK;
            }
            List<RegisteredAgent> selected = name == null ? store.agents() : List.of(agents.require(name));
            Map<UUID, Integer> inFlight = store.inFlightByAgent();
            Map<UUID, Cooldown> cooling = store.active(agents.now());
            Shell shell = agents.root.shell();
            // A heartbeat's age is read on the database's clock, which stamped it and judges it.
            Instant databaseNow = selected.stream().anyMatch(agent -> agent.lastHeartbeat() != null)
                    ? store.databaseNow() : null;
            if (json) {
                ArrayNode array = Json.array();
                for (RegisteredAgent agent : selected) {
                    ObjectNode node = Json.object();
                    node.put("name", agent.name());
                    node.put("status", agent.status().configName());
                    node.put("last_heartbeat", agent.lastHeartbeat() == null ? null : agent.lastHeartbeat().toString());
                    if (agent.lastHeartbeat() == null) {
                        node.putNull("heartbeat_age_ms");
                    } else {
                        node.put("heartbeat_age_ms", heartbeatAge(agent, databaseNow).toMillis());
                    }
                    node.put("in_flight", inFlight.getOrDefault(agent.id(), 0));
                    node.put("max_concurrency", agent.profile().maxConcurrency());
                    Cooldown cooldown = cooling.get(agent.id());
                    node.put("cooling_down_until", cooldown == null || cooldown.untilConfigChanges() ? null
                            : cooldown.until().toString());
                    node.put("cooling_down_until_config_changes", cooldown != null && cooldown.untilConfigChanges());
                    node.put("cooldown_reason", cooldown == null ? null : cooldown.reason());
                    array.add(node);
                }
                shell.out().println(Json.write(array));
                return ExitCodes.OK;
            }
            Table table = new Table("name", "status", "last heartbeat", "load", "cooling down until").right(3);
            for (RegisteredAgent agent : selected) {
                Cooldown cooldown = cooling.get(agent.id());
                table.row(agent.name(), agent.status().configName(),
                        agent.lastHeartbeat() == null ? "-" : agent.lastHeartbeat() + " ("
                                + ageText(heartbeatAge(agent, databaseNow)) + " ago)",
                        inFlight.getOrDefault(agent.id(), 0) + "/" + agent.profile().maxConcurrency(),
                        cooldown == null ? "-" : cooldownText(cooldown));
            }
            shell.out().print(table.render(""));
            return ExitCodes.OK;
        }
    }

    private static java.time.Duration heartbeatAge(RegisteredAgent agent, Instant databaseNow) {
        java.time.Duration age = java.time.Duration.between(agent.lastHeartbeat(), databaseNow);
        return age.isNegative() ? java.time.Duration.ZERO : age;
    }

    /** An age as a person reads it: tenths of a second under a minute, then minutes and seconds. */
    static String ageText(java.time.Duration age) {
        long millis = age.toMillis();
        if (millis < 60_000) {
            return String.format(java.util.Locale.ROOT, "%.1f s", millis / 1000.0);
        }
        return age.toMinutes() + " min " + age.toSecondsPart() + " s";
    }

    /** When a cooldown ends and why, as the status table shows it. */
    static String cooldownText(Cooldown cooldown) {
        String end = cooldown.untilConfigChanges() ? "until its configuration changes" : "until " + cooldown.until();
        return end + " (" + cooldown.reason() + ")";
    }
}
