package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.performance.AgentPerformance;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code switchboard stats}: performance per agent × work type. */
@Command(name = "stats", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "Show each agent's record per work type: outcomes, success rate, time, tokens and cost.")
final class StatsCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--json", description = "Print the records as JSON.")
    boolean json;

    @Override
    public Integer call() {
        Workspace workspace = root.workspace();
        List<AgentPerformance> records = workspace.readOnlyStore().all();
        Map<UUID, String> names = new HashMap<>();
        for (RegisteredAgent agent : workspace.readOnlyStore().agents()) {
            names.put(agent.id(), agent.name());
        }
        Shell shell = root.shell();
        if (json) {
            ArrayNode array = Json.array();
            records.forEach(r -> array.add(Json.performance(r, names.getOrDefault(r.agentId(), r.agentId().toString()))));
            shell.out().println(Json.write(array));
            return ExitCodes.OK;
        }
        if (records.isEmpty()) {
            shell.out().println("No outcomes recorded yet.");
            return ExitCodes.OK;
        }
        Table table = new Table("agent", "work type", "succeeded", "failed", "rate", "avg time", "tokens", "cost",
                "last", "difficulty").right(2, 3, 4, 5, 6, 7);
        for (AgentPerformance r : records) {
            long n = r.executions();
            table.row(names.getOrDefault(r.agentId(), r.agentId().toString()), r.workType(), r.successes(),
                    r.failures(), n == 0 ? "-" : DecisionText.fixed(100.0 * r.successes() / n, 0) + "%",
                    n == 0 ? "-" : DecisionText.fixed(r.totalDurationMs() / 1000.0 / n, 1) + " s", r.tokens(),
                    "$" + DecisionText.fixed(r.cost(), 2), r.lastExecution() == null ? "-" : r.lastExecution(),
                    r.difficulty() == null ? "-" : r.difficulty().configName());
        }
        shell.out().print(table.render(""));
        return ExitCodes.OK;
    }
}
