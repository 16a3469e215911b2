package io.switchboard.core.workflow;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.routing.Placement;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TraitInference;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * How a step iteration becomes a task the dispatcher runs like any other: its id, its traits, and the options
 * and placement that carry the step's agent, mode and constraints to the router.
 *
 * <ul>
 *   <li>Id: {@code RUN.STEP} the first time, {@code RUN.STEP.N} for iteration N after that; a handoff's task is the
 *       handed-off task's id followed by {@code .handoff}.</li>
 *   <li>Title: {@code STEP: TITLE}, the title being the task the run carries or the workflow's name; its traits
 *       are inferred from the title and the rendered prompt, as for any task (so name steps with a verb: a step
 *       {@code plan} is a design task, {@code review} a review).</li>
 *   <li>From the task a run carries, the step's task inherits pool, complexity, risk, priority, tags, plan,
 *       sprint and files; its verify command only for a step that may change files (a mode other than
 *       {@code plan}).</li>
 *   <li>A step that prefers agents strong in {@code reasoning} states that its task needs reasoning and no
 *       iteration; one that prefers {@code speed}, the other way round. So the skills its task needs, which the
 *       strength factor scores, are the step's, not the carried task's: the implementation of a complex task,
 *       once planned, is iteration work.</li>
 *   <li>A named agent pins the task to it; {@code auto} leaves the router to choose, in the step's pool (the
 *       carried task's otherwise), preferring what the step prefers, under the lower of the run's and the step's
 *       {@code max_cost}. A step's mode wins over the routing rules.</li>
 *   <li>A step that stops or hands off at its first failure allows its task one attempt; {@code retry} leaves
 *       the retry policy's.</li>
 * </ul>
 */
public final class StepTasks {
    private static final String HANDOFF_SUFFIX = ".handoff";
    /** The strength that stands for needing reasoning, as trait inference names the skill. */
    private static final String REASONING = "reasoning";
    /** The strength that stands for needing iteration, as trait inference names the skill. */
    private static final String SPEED = "speed";

    private StepTasks() {
    }

    public static String taskId(String runId, String stepId, int iteration) {
        return iteration == 1 ? runId + "." + stepId : runId + "." + stepId + "." + iteration;
    }

    public static String handoffTaskId(String taskId) {
        return taskId + HANDOFF_SUFFIX;
    }

    /** Who asks, as routing decisions name it. */
    public static String askedBy(Step step) {
        return "workflow step '" + step.id() + "'";
    }

    /** The step's agent, preference and mode, for the router. */
    public static Placement placement(Step step) {
        String asked = askedBy(step);
        return switch (step.agent()) {
            case StepAgent.Named named -> new Placement(null, named.name(), step.mode(), asked);
            case StepAgent.Auto auto -> new Placement(auto.prefer(), null, step.mode(), asked);
        };
    }

    /** The run's options with the step's placement, cost limit and number of attempts. */
    public static TaskOptions options(TaskOptions run, Step step) {
        TaskOptions options = run.withPlacement(placement(step))
                .withMaxAttempts(step.onFailure().action() == OnFailure.Action.RETRY ? null : 1);
        if (step.agent() instanceof StepAgent.Auto auto && auto.maxCost() != null
                && (run.maxCost() == null || auto.maxCost() < run.maxCost())) {
            options = options.withMaxCost(auto.maxCost());
        }
        return options;
    }

    /**
     * The options of the task a step is handed off to: pinned to that agent as any handoff pins a task
     * ({@link Placement#handedOffTo}), in the step's mode, with one attempt.
     */
    public static TaskOptions handoffOptions(TaskOptions stepOptions, String agent) {
        return stepOptions.withPlacement(stepOptions.placement().handedOffTo(agent, 1)).withMaxAttempts(1);
    }

    /**
     * The task of one step iteration.
     *
     * @param runTitle what the run is about ({@link WorkflowRun#title()})
     * @param origin the task the run carries, or {@code null}
     * @param prompt the step's prompt, rendered
     */
    public static Task task(String runId, String runTitle, TaskDraft origin, Step step, int iteration,
            String prompt) {
        String id = taskId(runId, step.id(), iteration);
        String pool = step.agent() instanceof StepAgent.Auto auto && auto.pool() != null ? auto.pool()
                : step.agent() instanceof StepAgent.Named || origin == null ? null : origin.pool();
        boolean mayChangeFiles = step.mode() != Mode.PLAN;
        Map<String, String> statedAt = new HashMap<>();
        if (origin != null) {
            for (String trait : List.of("complexity", "risk")) {
                statedAt.put(trait, "task " + origin.id() + ", which the workflow carries");
            }
        }
        // A step that prefers agents strong in reasoning, or in speed, says what its task needs.
        String strength = step.agent() instanceof StepAgent.Auto auto && auto.prefer() != null
                ? auto.prefer().strength() : null;
        Boolean needsReasoning = null;
        Boolean needsIteration = null;
        if (REASONING.equals(strength) || SPEED.equals(strength)) {
            needsReasoning = REASONING.equals(strength);
            needsIteration = SPEED.equals(strength);
            String why = askedBy(step) + ", which prefers agents strong in " + strength;
            statedAt.put("needs_reasoning", why);
            statedAt.put("needs_iteration", why);
        }
        TaskDraft draft = new TaskDraft(id, step.id() + ": " + runTitle, prompt, null, null,
                origin == null ? null : origin.complexity(), null, origin == null ? null : origin.risk(), null,
                needsReasoning, needsIteration, origin == null ? null : origin.priority(),
                origin == null ? List.of() : origin.tags(),
                origin == null ? null : origin.plan(), origin == null ? null : origin.sprint(), null, null, pool,
                List.of(), origin == null ? List.of() : origin.files(),
                origin != null && mayChangeFiles ? origin.verify() : null,
                origin == null ? null : origin.timeout(), origin == null ? null : origin.idleTimeout(), statedAt,
                new TaskSource("workflow run " + runId + ", step " + step.id(), 0));
        return TraitInference.complete(draft);
    }

    /** The task a step iteration is handed off with: the same task under its own id, with another prompt. */
    public static Task handoffTask(Task handedOff, String prompt) {
        TaskDraft was = handedOff.draft();
        TaskDraft draft = new TaskDraft(handoffTaskId(was.id()), was.title(), prompt, was.type(), was.workType(),
                was.complexity(), was.scope(), was.risk(), was.estimatedTokens(), was.needsReasoning(),
                was.needsIteration(), was.priority(), was.tags(), was.plan(), was.sprint(), was.status(), was.wave(),
                null, List.of(), was.files(), was.verify(), was.timeout(), was.idleTimeout(), was.statedAt(),
                was.source());
        return TraitInference.complete(draft);
    }
}
