package io.switchboard.cli;

import io.switchboard.core.port.DecisionLog.DecisionQuery;
import io.switchboard.core.port.DecisionLog.StoredDecision;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.input.yaml.Durations;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/** {@code switchboard decisions}: the audit trail, filtered. */
@Command(name = "decisions", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = "List routing decisions, newest first: why each agent was chosen.")
final class DecisionsCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Option(names = "--task", paramLabel = "ID", description = "Only decisions for this task.")
    String task;

    @Option(names = "--agent", paramLabel = "NAME", description = "Only decisions that chose this agent.")
    String agent;

    @Option(names = "--work-type", paramLabel = "TYPE", description = "Only decisions for this work type.")
    String workType;

    @Option(names = "--since", paramLabel = "WHEN",
            description = "Only decisions at or after WHEN: an instant (2026-01-05T09:00:00Z) or an age (30m, 4h, 7d).")
    String since;

    @Option(names = "--limit", paramLabel = "N", defaultValue = "50", description = "At most N decisions (default ${DEFAULT-VALUE}).")
    int limit;

    @Option(names = "--explain", description = "Print each decision in full, as route --explain does.")
    boolean explain;

    @Option(names = "--json", description = "Print the decisions as JSON.")
    boolean json;

    @Override
    public Integer call() {
        if (limit <= 0) {
            throw CliException.usage("--limit must be more than zero, was " + limit);
        }
        DecisionQuery query = new DecisionQuery(task, agent, workType == null ? null : workType, sinceInstant(), limit);
        Workspace workspace = root.workspace();
        List<StoredDecision> found = workspace.readOnlyStore().find(query);
        Shell shell = root.shell();
        if (json) {
            shell.out().println(Json.decisions(found));
            return ExitCodes.OK;
        }
        if (found.isEmpty()) {
            shell.out().println("No decisions match.");
            return ExitCodes.OK;
        }
        if (explain) {
            for (StoredDecision stored : found) {
                shell.out().println("Decision " + stored.id() + " at " + stored.decision().decidedAt());
                shell.out().println(DecisionText.explain(stored.decision(), null));
            }
            return ExitCodes.OK;
        }
        Table table = new Table("id", "decided at", "task", "attempt", "work type", "agent", "mode", "score",
                "retried", "reason").right(0, 3, 7);
        for (StoredDecision stored : found) {
            RoutingDecision d = stored.decision();
            table.row(stored.id(), d.decidedAt(), d.taskId(), d.attempt(), d.workType(), d.chosenAgent().orElse("-"),
                    d.mode().configName(), DecisionText.fixed(d.score(), 1), d.retried() ? "yes" : "",
                    abbreviate(d.reason(), 70));
        }
        shell.out().print(table.render(""));
        return ExitCodes.OK;
    }

    private Instant sinceInstant() {
        if (since == null) {
            return null;
        }
        var age = Durations.parse(since);
        if (age.isPresent()) {
            return root.shell().clock().instant().minus(age.get());
        }
        try {
            return Instant.parse(since);
        } catch (DateTimeParseException e) {
            throw CliException.usage("--since must be an instant such as 2026-01-05T09:00:00Z or an age such as 4h, was '"
                    + since + "'");
        }
    }

    private static String abbreviate(String text, int max) {
        return text.length() <= max ? text : text.substring(0, max - 1) + "…";
    }
}
