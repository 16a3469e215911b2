package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.handoff.HandoffPacket;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.store.Store;
import java.io.PrintWriter;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard attempts TASK}: every attempt of a task with what was recorded about it, including the handoff
 * packet each was given; {@code --packet N} prints one packet as the agent read it after the task's prompt.
 */
@Command(name = "attempts", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"List a task's attempts: agent, state, time, tokens, cost, how each failed, and the handoff "
                + "packet each was given.", "With --packet N, print the packet attempt N was given."},
        footer = {"", "Exit codes: 0 ok, 4 unknown task id or attempt, 5 database unavailable."})
final class AttemptsCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Parameters(paramLabel = "TASK", description = "The task's id.")
    String taskId;

    @Option(names = "--packet", paramLabel = "N", description = "Print the packet attempt N was given, as it read it.")
    Integer packet;

    @Option(names = "--json", description = "Print the attempts as JSON, each with its packet and final answer.")
    boolean json;

    @Override
    public Integer call() {
        Store store = root.workspace().readOnlyStore();
        TaskStatus status = store.taskStatus(taskId).orElseThrow(() -> CliException.notFound("no task '" + taskId
                + "' is stored"));
        List<AttemptRecord> attempts = store.attemptRecords(taskId);
        PrintWriter out = root.shell().out();
        if (packet != null) {
            AttemptRecord record = attempts.stream().filter(a -> a.attempt().number() == packet).findFirst()
                    .orElseThrow(() -> CliException.notFound(taskId + " has no attempt " + packet + " (it has "
                            + attempts.size() + ")"));
            if (record.packet().isEmpty()) {
                out.println("Attempt " + packet + " of " + taskId + " was given the task's prompt alone.");
            } else {
                out.print(record.packet());
            }
            return ExitCodes.OK;
        }
        Handoff handoff = store.handoff(taskId).orElse(null);
        if (json) {
            out.println(Json.write(json(status, attempts, handoff)));
            return ExitCodes.OK;
        }
        out.println(taskId + ": " + status.state().configName() + " (" + status.reason() + ")");
        if (handoff != null) {
            out.println(handoff.pending() ? "Handed off to " + handoff.toAgent() + " at " + handoff.requestedAt()
                    + "; no attempt has taken it up yet."
                    : "Handed off to " + handoff.toAgent() + " at " + handoff.requestedAt() + "; taken up by attempt "
                            + handoff.attempt() + ".");
        }
        if (attempts.isEmpty()) {
            out.println("No attempts yet.");
            return ExitCodes.OK;
        }
        Table table = new Table("#", "AGENT", "MODE", "STATE", "STARTED", "TIME", "TOKENS", "COST", "PACKET",
                "HOW IT ENDED").right(0, 5, 6, 7, 8);
        for (AttemptRecord record : attempts) {
            table.row(record.attempt().number(), record.attempt().agentName(), record.attempt().mode().configName(),
                    record.attempt().state().name().toLowerCase(Locale.ROOT), record.attempt().startedAt(),
                    Progress.seconds(record.durationMs()), record.inputTokens() + record.outputTokens(),
                    Summary.dollars(record.cost()), record.packet().isEmpty() ? "-"
                            : "~" + HandoffPacket.estimateTokens(record.packet()) + " tokens",
                    record.failure() == null ? (record.attempt().state().inFlight() ? "" : "succeeded")
                            : record.failure().toString());
        }
        out.print(table.render(""));
        attempts.stream().filter(record -> !record.packet().isEmpty()).findFirst().ifPresent(record -> out.println(
                "A PACKET is what the attempt was given after the task's prompt: 'switchboard attempts " + taskId
                        + " --packet " + record.attempt().number() + "' prints it."));
        return ExitCodes.OK;
    }

    private static ObjectNode json(TaskStatus status, List<AttemptRecord> attempts, Handoff handoff) {
        JsonNodeFactory nodes = JsonNodeFactory.instance;
        ObjectNode root = nodes.objectNode();
        root.put("task", status.taskId());
        root.put("state", status.state().configName());
        root.put("reason", status.reason());
        if (handoff == null) {
            root.putNull("handoff");
        } else {
            ObjectNode node = root.putObject("handoff");
            node.put("to", handoff.toAgent());
            node.put("note", handoff.note());
            node.put("requested_at", handoff.requestedAt().toString());
            if (handoff.attempt() == null) {
                node.putNull("attempt");
            } else {
                node.put("attempt", handoff.attempt());
            }
        }
        ArrayNode array = root.putArray("attempts");
        for (AttemptRecord record : attempts) {
            ObjectNode node = array.addObject();
            node.put("attempt", record.attempt().number());
            node.put("agent", record.attempt().agentName());
            node.put("mode", record.attempt().mode().configName());
            node.put("state", record.attempt().state().name().toLowerCase(Locale.ROOT));
            node.put("started_at", record.attempt().startedAt().toString());
            if (record.attempt().finishedAt() == null) {
                node.putNull("finished_at");
            } else {
                node.put("finished_at", record.attempt().finishedAt().toString());
            }
            node.put("duration_ms", record.durationMs());
            node.put("tokens", record.inputTokens() + record.outputTokens());
            node.put("cost", record.cost());
            if (record.failure() == null) {
                node.putNull("failure");
            } else {
                ObjectNode failure = node.putObject("failure");
                failure.put("type", record.failure().type().configName());
                failure.put("message", record.failure().message());
            }
            node.put("answer", record.answer());
            node.put("packet", record.packet());
        }
        return root;
    }
}
