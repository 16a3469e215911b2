package io.switchboard.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.agent.RegisteredAgent;
import io.switchboard.core.config.SwitchboardConfig;
import io.switchboard.core.handoff.HandoffPacket;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.RoutingService;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.workflow.OnFailure;
import io.switchboard.core.workflow.Step;
import io.switchboard.core.workflow.StepTasks;
import io.switchboard.core.workflow.Workflow;
import io.switchboard.core.workflow.WorkflowDispatcher;
import io.switchboard.core.workflow.WorkflowGraph;
import io.switchboard.core.workflow.WorkflowRun;
import io.switchboard.core.workflow.WorkflowRunState;
import io.switchboard.core.workflow.Workflows;
import io.switchboard.input.workflow.WorkflowFiles;
import io.switchboard.store.Store;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * What {@code workflow run} and {@code orchestrate --workflow} share: finding the workflow, checking its inputs,
 * the dry run, running it as one orchestrator, and the exit code of the result.
 */
final class WorkflowRuns {
    /** Where a workflow named without a path is looked for, after the built-ins, relative to the workspace. */
    static final List<String> FOLDERS = List.of("workflows", ".switchboard/workflows");

    private WorkflowRuns() {
    }

    /**
     * The workflow {@code name} names: a built-in workflow, a workflow file at that path, or {@code NAME.yaml}
     * (or {@code .yml}) in one of {@link #FOLDERS}; read and checked against the agents known.
     *
     * @throws CliException with {@link ExitCodes#NOT_FOUND} when there is none
     */
    static Workflow load(Workspace workspace, String name, Set<String> agents) {
        var builtIn = Workflows.builtIn(name);
        if (builtIn.isPresent()) {
            return builtIn.get();
        }
        Path base = workspace.base();
        Path file = base.resolve(name);
        if (Files.isRegularFile(file)) {
            return WorkflowFiles.read(file, name, agents);
        }
        for (String folder : FOLDERS) {
            for (String extension : List.of(".yaml", ".yml")) {
                Path candidate = base.resolve(folder).resolve(name + extension);
                if (Files.isRegularFile(candidate)) {
                    return WorkflowFiles.read(candidate, folder + "/" + name + extension, agents);
                }
            }
        }
        throw CliException.notFound("no workflow '" + name + "': it is no built-in workflow ("
                + String.join(", ", Workflows.builtInNames()) + "), no file " + base.resolve(name) + ", and no "
                + name + ".yaml in " + String.join(" or ", FOLDERS));
    }

    /** The agents a workflow may name: those the configuration declares and those registered in the store. */
    static Set<String> agentNames(SwitchboardConfig config, Store store) {
        Set<String> names = new TreeSet<>();
        config.agents().forEach(agent -> names.add(agent.name()));
        store.agents().forEach(agent -> names.add(agent.name()));
        return names;
    }

    /** Every input's value, or a usage error naming what is missing or unknown. */
    static Map<String, String> inputs(Workflow workflow, Map<String, String> given) {
        try {
            return workflow.resolveInputs(given);
        } catch (IllegalArgumentException e) {
            String missing = workflow.inputs().stream().filter(input -> input.isRequired()
                    && !given.containsKey(input.name())).map(input -> "--input " + input.name() + "=VALUE")
                    .reduce((a, b) -> a + " " + b).orElse(null);
            throw CliException.usage(e.getMessage() + (missing == null ? "" : "; give it with " + missing));
        }
    }

    /** The id the next run of this base gets, as the store will number it. */
    static String nextRunId(Store store, String base) {
        int next = store.latestRun(base).map(run -> Integer.parseInt(run.id().substring(base.length() + 1)) + 1)
                .orElse(1);
        return base + "-" + next;
    }

    /** One step as a dry run shows it: the decision and the prompt it would receive. */
    record PlannedStep(Step step, Task task, RoutingDecision decision) {
    }

    /**
     * Routes every step as its first iteration would be, with stand-ins for the outputs not yet produced, and writes
     * nothing.
     */
    static List<PlannedStep> dryRun(Workspace workspace, Workflow workflow, Map<String, String> inputs,
            TaskOptions options, TaskDraft origin, String base) {
        Store store = workspace.readOnlyStore();
        List<RegisteredAgent> agents = workspace.previewAgents(store);
        RoutingService routing = workspace.routingService(store);
        SwitchboardConfig config = workspace.config();
        String runId = nextRunId(store, base);
        String title = origin != null && !origin.title().isBlank() ? origin.title() : workflow.name();
        WorkflowGraph graph = workflow.graph();
        List<PlannedStep> planned = new java.util.ArrayList<>();
        for (String id : graph.order()) {
            Step step = workflow.step(id).orElseThrow();
            String prompt = step.prompt().render(inputs, standIns(workflow, graph, step));
            Task task = StepTasks.task(runId, title, origin, step, 1, prompt);
            TaskOptions stepOptions = StepTasks.options(options, step);
            RoutingRequest request = new RoutingRequest(task, 1, Set.of(), stepOptions.excluded(),
                    stepOptions.prefer(), stepOptions.maxCost(), config.budgets().perTask(), stepOptions.placement());
            planned.add(new PlannedStep(step, task, routing.preview(request, agents)));
        }
        return planned;
    }

    /**
     * What a dry run shows after the prompt of a step handed off when it fails, in place of the packet that is only
     * written then.
     */
    static final String PACKET_STAND_IN = "[[a handoff packet, written when the step fails: what its attempt did, "
            + "how it failed, the questions it left]]";

    /** The prompt the task a step is handed off as would be given, the packet as a stand-in; {@code null} for none. */
    private static String handoffPrompt(PlannedStep step) {
        if (step.step().onFailure().action() != OnFailure.Action.HANDOFF) {
            return null;
        }
        return step.task().prompt() + HandoffPacket.SEPARATOR + PACKET_STAND_IN;
    }

    /** What a dry run shows in place of the outputs a step would be given. */
    private static Map<String, String> standIns(Workflow workflow, WorkflowGraph graph, Step step) {
        Map<String, String> standIns = new HashMap<>();
        for (String id : step.prompt().stepOutputs()) {
            Step named = workflow.step(id).orElseThrow();
            boolean feedback = named.loop() != null && graph.loopBody(id).contains(step.id())
                    && !graph.upstream(step.id()).contains(id);
            standIns.put(id, feedback
                    ? "[[the output of step '" + id + "' from the iteration before: empty in the first]]"
                    : "[[not produced yet: the output of step '" + id + "']]");
        }
        return standIns;
    }

    static void printDryRun(Shell shell, Workflow workflow, Map<String, String> inputs, List<PlannedStep> planned,
            boolean json) {
        if (json) {
            JsonNodeFactory nodes = JsonNodeFactory.instance;
            ObjectNode root = nodes.objectNode();
            root.put("workflow", workflow.name());
            root.put("dry_run", true);
            ObjectNode values = root.putObject("inputs");
            inputs.forEach(values::put);
            ArrayNode steps = root.putArray("steps");
            for (PlannedStep step : planned) {
                ObjectNode node = steps.addObject();
                node.put("step", step.step().id());
                node.put("iteration", 1);
                node.put("task", step.task().id());
                node.put("agent", step.step().agent().describe());
                node.put("chosen_agent", step.decision().chosenAgent().orElse(null));
                node.put("mode", step.decision().mode().configName());
                node.put("output", step.step().output().describe());
                node.put("on_failure", step.step().onFailure().describe());
                node.put("loop", step.step().loop() == null ? null : step.step().loop().describe());
                node.put("prompt", step.task().prompt());
                String handoffPrompt = handoffPrompt(step);
                if (handoffPrompt != null) {
                    ObjectNode handoff = node.putObject("handoff");
                    handoff.put("agent", step.step().onFailure().agent());
                    handoff.put("task", StepTasks.handoffTaskId(step.task().id()));
                    handoff.put("prompt", handoffPrompt);
                }
                node.set("decision", Json.decision(null, step.decision()));
            }
            shell.out().println(Json.write(root));
            return;
        }
        var out = shell.out();
        out.println("Workflow " + workflow.name() + (workflow.description().isEmpty() ? ""
                : ": " + workflow.description()));
        out.println("Dry run: nothing runs and nothing is written. Each step as its first iteration would start;"
                + " [[…]] marks an output not produced yet.");
        int number = 1;
        for (PlannedStep step : planned) {
            Step s = step.step();
            out.println();
            out.println(number++ + ". " + s.id() + " (" + s.agent().describe()
                    + (s.mode() == null ? "" : ", mode " + s.mode().configName()) + "; output "
                    + s.output().describe() + "; on failure " + s.onFailure().describe()
                    + (s.loop() == null ? "" : "; loops " + s.loop().describe()) + ")");
            RoutingDecision decision = step.decision();
            out.println("   → " + decision.chosenAgent().map(agent -> agent + " in " + decision.mode().configName()
                    + " mode").orElse("no agent can take it"));
            out.println("   " + decision.reason());
            out.println("   prompt:");
            String prompt = step.task().prompt();
            // A prompt's last line end starts no line of its own.
            prompt = prompt.endsWith("\n") ? prompt.substring(0, prompt.length() - 1) : prompt;
            for (String line : prompt.split("\n", -1)) {
                out.println("   | " + line);
            }
            if (handoffPrompt(step) != null) {
                out.println("   if it fails: handed to " + s.onFailure().agent() + " as task "
                        + StepTasks.handoffTaskId(step.task().id()) + ", with the prompt above and then");
                out.println("   | " + PACKET_STAND_IN);
            }
        }
    }

    /**
     * Starts a run and runs it as one orchestrator, printing its progress and summary.
     *
     * @return the exit code
     */
    static int run(Workspace workspace, Store store, Workflow workflow, Map<String, String> inputs,
            TaskOptions options, TaskDraft origin, String base, RunSettings settings, boolean json) {
        SwitchboardConfig config = workspace.config();
        try (Orchestration orchestration = new Orchestration(workspace, store,
                Runners.local(config, workspace.shell().err()), settings.env, settings.runBudget(config), json)) {
            WorkflowRun run = orchestration.workflows().start(workflow, inputs, options, origin, base,
                    orchestration.id());
            WorkflowDispatcher.Result result = orchestration.runWorkflow(run.id());
            WorkflowSummary.print(workspace.shell(), store, List.of(result), json);
            return exitCode(result);
        }
    }

    static int exitCode(WorkflowDispatcher.Result result) {
        if (result.stopped()) {
            return ExitCodes.INTERRUPTED;
        }
        return result.run().state() == WorkflowRunState.SUCCEEDED ? ExitCodes.OK : ExitCodes.TASK_FAILED;
    }

    /** {@code orchestrate --workflow NAME}: the one task the options name, run through the workflow. */
    static int orchestrate(OrchestrateCommand command) {
        Workspace workspace = command.root.workspace();
        SwitchboardConfig config = workspace.config();
        List<Task> tasks = RouteCommand.tasks(workspace, config, command.options);
        if (tasks.size() != 1) {
            throw CliException.usage("--workflow runs one task through a workflow; " + command.options.source.file
                    + " holds " + tasks.size());
        }
        Task task = tasks.getFirst();
        RouteCommand.validateAgentNames(config, command.options, workspace, command.dryRun);
        Store agentsStore = command.dryRun ? workspace.readOnlyStore() : workspace.store();
        Workflow workflow = load(workspace, command.workflow, agentNames(config, agentsStore));
        if (workflow.inputs().stream().noneMatch(input -> input.name().equals("task"))) {
            throw CliException.usage("workflow '" + workflow.name() + "' has no input 'task', which --workflow gives"
                    + " the task as; declare one (inputs: {task: }) or use 'switchboard workflow run'");
        }
        Map<String, String> given = Map.of("task", task.prompt());
        Map<String, String> inputs = inputs(workflow, given);
        RunSettings settings = command.runSettings();
        settings.check(workspace, config, agentsStore, workflow);
        command.checkTasks(tasks);
        Shell shell = workspace.shell();
        Instant now = shell.clock().instant();
        TaskOptions options = settings.taskOptions(workspace, now);
        if (command.dryRun) {
            printDryRun(shell, workflow, inputs, dryRun(workspace, workflow, inputs, options, task.draft(),
                    task.id()), command.options.json);
            return ExitCodes.OK;
        }
        Store store = workspace.syncedStore();
        boolean fresh = command.again || task.source().equals(io.switchboard.core.task.TaskSource.COMMAND_LINE);
        var latest = store.latestRun(task.id()).filter(run -> run.workflow().name().equals(workflow.name()));
        if (latest.isPresent() && !fresh) {
            WorkflowRun run = latest.get();
            if (!run.state().isFinal()) {
                shell.err().println("switchboard: " + task.id() + " is in workflow run " + run.id() + ", which has not"
                        + " ended; 'switchboard resume' continues it");
                return ExitCodes.TASK_FAILED;
            }
            shell.err().println("switchboard: " + task.id() + " already went through " + workflow.name()
                    + " in run " + run.id() + " (" + run.state().configName() + "); --again runs it once more");
            WorkflowSummary.print(shell, store, List.of(new WorkflowDispatcher.Result(run, store.steps(run.id()),
                    false)), command.options.json);
            return run.state() == WorkflowRunState.SUCCEEDED ? ExitCodes.OK : ExitCodes.TASK_FAILED;
        }
        return run(workspace, store, workflow, inputs, options, task.draft(), task.id(), settings,
                command.options.json);
    }
}
