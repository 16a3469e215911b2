package io.switchboard.core.workflow;

import io.switchboard.core.routing.AgentSelector;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import java.util.Set;

/**
 * The shape of a workflow: which steps each one waits for, the order they run in, which can run now, and which
 * steps each loop repeats. Also the rules that make a list of steps a workflow ({@link #problems}).
 *
 * <p>A step waits for the steps it depends on. A step that depends on a step inside a loop, without being in
 * that loop itself, also waits for the step that closes the loop: the work it builds on may still be sent back.
 * Loops are not edges of this graph; they are repeated by whoever runs the workflow, by marking the steps of
 * {@link #loopBody} as not completed again.
 */
public final class WorkflowGraph {
    private final List<Step> steps;
    private final Map<String, Integer> index;
    /** Per step, the ids of the steps it depends on, directly or not. */
    private final List<Set<String>> upstream;
    /** Per step, the ids of the steps it waits for. */
    private final List<Set<String>> waitsFor;
    /** Per step that closes a loop, the steps the loop repeats, in the order written. */
    private final Map<String, List<String>> loopBodies;
    private final List<String> order;

    private WorkflowGraph(List<Step> steps) {
        this.steps = List.copyOf(steps);
        this.index = indexOf(steps);
        this.upstream = upstreamOf(steps, index);
        this.loopBodies = loopBodiesOf(steps, index, upstream);
        this.waitsFor = waitsForOf(steps, loopBodies);
        this.order = orderOf(steps, index, waitsFor);
    }

    public static WorkflowGraph of(Workflow workflow) {
        return new WorkflowGraph(workflow.steps());
    }

    /** Every step id in an order they can run in one at a time: each after those it waits for, else as written. */
    public List<String> order() {
        return order;
    }

    /**
     * The steps that can start now, in the order written: those not completed whose every step waited for is.
     * The caller leaves out those it has already started. Independent steps are ready together, to run at once.
     *
     * @param completed ids of the steps that have finished (for a loop that goes back, without the steps it
     *     repeats)
     */
    public List<Step> ready(Set<String> completed) {
        for (String id : completed) {
            if (!index.containsKey(id)) {
                throw new IllegalArgumentException("no step '" + id + "' in this workflow");
            }
        }
        List<Step> ready = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!completed.contains(steps.get(i).id()) && completed.containsAll(waitsFor.get(i))) {
                ready.add(steps.get(i));
            }
        }
        return ready;
    }

    /** The steps this one waits for: its dependencies, and the ends of loops it builds on. */
    public Set<String> waitsFor(String id) {
        return waitsFor.get(indexOrFail(id));
    }

    /** The steps this one depends on, directly or through other steps. */
    public Set<String> upstream(String id) {
        return upstream.get(indexOrFail(id));
    }

    /**
     * The steps a loop repeats when it goes back, in the order written: the step it goes back to, the step that
     * closes it, and every step between them (depending on the first, and depended on by the last).
     *
     * @param closingStep the id of the step that declares the loop
     */
    public List<String> loopBody(String closingStep) {
        List<String> body = loopBodies.get(closingStep);
        if (body == null) {
            throw new IllegalArgumentException("step '" + closingStep + "' declares no loop");
        }
        return body;
    }

    private int indexOrFail(String id) {
        Integer i = index.get(id);
        if (i == null) {
            throw new IllegalArgumentException("no step '" + id + "' in this workflow");
        }
        return i;
    }

    /**
     * Everything that keeps {@code steps} from being a workflow, in the order of the steps, each with the key it
     * concerns. Problems with ids and dependencies are reported first, and alone: later rules need them right.
     * <ol>
     *   <li>step ids are unique;</li>
     *   <li>a step depends only on other steps that exist, each named once;</li>
     *   <li>a step does not hand off to the agent it runs on, nor loop back to itself or to no step;</li>
     *   <li>dependencies do not go round in a circle (a loop is declared with {@code loop}, never as one);</li>
     *   <li>every {@code {{inputs.NAME}}} names a declared input, and every {@code {{steps.ID.output}}} a step
     *       this one depends on, directly or not, or the step that closes a loop this one is in (its output
     *       of the previous time round, empty the first time);</li>
     *   <li>a loop goes back to a step this one depends on, directly or not;</li>
     *   <li>two loops are either apart or one inside the other.</li>
     * </ol>
     * A loop's bound, {@code max_iterations} of at least 1, is {@link Loop}'s own rule.
     */
    public static List<WorkflowProblem> problems(List<WorkflowInput> inputs, List<Step> steps) {
        List<WorkflowProblem> idProblems = idAndDependencyProblems(steps);
        if (!idProblems.isEmpty()) {
            return List.copyOf(idProblems);
        }
        Map<String, Integer> index = indexOf(steps);
        List<WorkflowProblem> circle = circleProblems(steps, index);
        if (!circle.isEmpty()) {
            return circle;
        }
        List<WorkflowProblem> problems = new ArrayList<>();
        List<Set<String>> upstream = upstreamOf(steps, index);
        Map<String, List<String>> bodies = loopBodiesOf(steps, index, upstream);
        Set<String> inputNames = new LinkedHashSet<>();
        inputs.forEach(input -> inputNames.add(input.name()));
        for (int i = 0; i < steps.size(); i++) {
            placeholderProblems(i, steps.get(i), inputNames, index.keySet(), upstream.get(i), bodies, problems);
            Loop loop = steps.get(i).loop();
            if (loop != null && !upstream.get(i).contains(loop.backTo())) {
                problems.add(WorkflowProblem.at(i, steps.get(i), "loop.back_to", "step '" + steps.get(i).id()
                        + "' does not depend on '" + loop.backTo() + "'; a loop goes back to a step this one depends"
                        + " on, directly or through other steps"));
            }
        }
        if (problems.isEmpty()) {
            problems.addAll(overlappingLoops(steps, index, bodies));
        }
        return List.copyOf(problems);
    }

    /** Every agent named by a step (to run it, to prefer, to hand off to) that is not among {@code declared}. */
    public static List<WorkflowProblem> agentProblems(List<Step> steps, Set<String> declared) {
        List<WorkflowProblem> problems = new ArrayList<>();
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (step.agent() instanceof StepAgent.Named named && !declared.contains(named.name())) {
                problems.add(WorkflowProblem.at(i, step, "agent", notDeclared(named.name(), declared)));
            }
            if (step.agent() instanceof StepAgent.Auto auto && auto.prefer() != null) {
                AgentSelector prefer = auto.prefer();
                if (prefer.agentName() != null && !declared.contains(prefer.agentName())) {
                    problems.add(WorkflowProblem.at(i, step, "prefer", notDeclared(prefer.agentName(), declared)));
                }
            }
            String handoff = step.onFailure().agent();
            if (handoff != null && !declared.contains(handoff)) {
                problems.add(WorkflowProblem.at(i, step, "on_failure.handoff", notDeclared(handoff, declared)));
            }
        }
        return List.copyOf(problems);
    }

    private static String notDeclared(String name, Set<String> declared) {
        return "no agent named '" + name + "' is declared ("
                + (declared.isEmpty() ? "no agents are" : "declared: " + String.join(", ", declared.stream().sorted()
                        .toList()))
                + ")";
    }

    private static List<WorkflowProblem> idAndDependencyProblems(List<Step> steps) {
        List<WorkflowProblem> problems = new ArrayList<>();
        Set<String> ids = new LinkedHashSet<>();
        Set<Integer> duplicates = new HashSet<>();
        for (int i = 0; i < steps.size(); i++) {
            if (!ids.add(steps.get(i).id())) {
                duplicates.add(i);
            }
        }
        for (int i = 0; i < steps.size(); i++) {
            Step step = steps.get(i);
            if (duplicates.contains(i)) {
                problems.add(WorkflowProblem.at(i, step, "id", "step id '" + step.id()
                        + "' is already taken by an earlier step; step ids must be unique"));
            }
            Set<String> seen = new HashSet<>();
            for (int d = 0; d < step.dependsOn().size(); d++) {
                String dependency = step.dependsOn().get(d);
                String key = "depends_on[" + d + "]";
                if (dependency.equals(step.id())) {
                    problems.add(WorkflowProblem.at(i, step, key, "a step cannot depend on itself"));
                } else if (!ids.contains(dependency)) {
                    problems.add(WorkflowProblem.at(i, step, key, "step '" + step.id() + "' depends on '" + dependency
                            + "', which is no step of this workflow " + listed("steps", ids)));
                } else if (!seen.add(dependency)) {
                    problems.add(WorkflowProblem.at(i, step, key, "'" + dependency + "' is listed twice"));
                }
            }
            String handoff = step.onFailure().agent();
            if (handoff != null && step.agent() instanceof StepAgent.Named named && named.name().equals(handoff)) {
                problems.add(WorkflowProblem.at(i, step, "on_failure.handoff", "step '" + step.id()
                        + "' already runs on agent '" + handoff + "'; hand off to another agent"));
            }
            Loop loop = step.loop();
            if (loop != null && loop.backTo().equals(step.id())) {
                problems.add(WorkflowProblem.at(i, step, "loop.back_to", "a step cannot loop back to itself; loop"
                        + " back to the step whose work this one checks"));
            } else if (loop != null && !ids.contains(loop.backTo())) {
                problems.add(WorkflowProblem.at(i, step, "loop.back_to", "the loop goes back to '" + loop.backTo()
                        + "', which is no step of this workflow " + listed("steps", ids)));
            }
        }
        return problems;
    }

    /** The first circle of dependencies found, reported at the step written first on it. */
    private static List<WorkflowProblem> circleProblems(List<Step> steps, Map<String, Integer> index) {
        int[] state = new int[steps.size()]; // 0 unvisited, 1 on the current path, 2 done
        List<Integer> path = new ArrayList<>();
        for (int start = 0; start < steps.size(); start++) {
            List<Integer> circle = findCircle(start, steps, index, state, path);
            if (circle != null) {
                int first = circle.stream().min(Integer::compare).orElseThrow();
                int at = circle.indexOf(first);
                List<String> names = new ArrayList<>();
                for (int k = 0; k <= circle.size(); k++) {
                    names.add(steps.get(circle.get((at + k) % circle.size())).id());
                }
                Step step = steps.get(first);
                int dependency = step.dependsOn().indexOf(names.get(1));
                return List.of(WorkflowProblem.at(first, step, "depends_on[" + dependency + "]",
                        "steps depend on each other in a circle: " + String.join(" -> ", names)
                                + " (each depends on the next); to repeat steps, give the step that checks the work"
                                + " a loop: with back_to and max_iterations"));
            }
        }
        return List.of();
    }

    /** Depth first; the steps of a circle, each depending on the next, or {@code null}. */
    private static List<Integer> findCircle(int at, List<Step> steps, Map<String, Integer> index, int[] state,
            List<Integer> path) {
        if (state[at] == 2) {
            return null;
        }
        if (state[at] == 1) {
            return new ArrayList<>(path.subList(path.indexOf(at), path.size()));
        }
        state[at] = 1;
        path.add(at);
        for (String dependency : steps.get(at).dependsOn()) {
            List<Integer> circle = findCircle(index.get(dependency), steps, index, state, path);
            if (circle != null) {
                return circle;
            }
        }
        path.remove(path.size() - 1);
        state[at] = 2;
        return null;
    }

    private static void placeholderProblems(int i, Step step, Set<String> inputs, Set<String> ids,
            Set<String> upstream, Map<String, List<String>> bodies, List<WorkflowProblem> problems) {
        for (Template.Placeholder placeholder : step.prompt().placeholders()) {
            String name = placeholder.name();
            String problem = null;
            if (placeholder.kind() == Template.Placeholder.Kind.INPUT) {
                if (!inputs.contains(name)) {
                    problem = placeholder.written() + " names no input of this workflow "
                            + (inputs.isEmpty() ? "(it declares none)" : listed("inputs", inputs));
                }
            } else if (name.equals(step.id())) {
                problem = placeholder.written() + " is this step's own output; a prompt can use the outputs of the"
                        + " steps it depends on";
            } else if (!ids.contains(name)) {
                problem = placeholder.written() + " names no step of this workflow " + listed("steps", ids);
            } else if (!upstream.contains(name) && !closesLoopAround(name, step.id(), bodies)) {
                problem = placeholder.written() + " is the output of '" + name + "', which step '" + step.id()
                        + "' does not depend on; add '" + name + "' to its depends_on (or to a step's it depends on)";
            }
            if (problem != null) {
                problems.add(new WorkflowProblem(i, step.id(), "prompt", placeholder.offset(), problem));
            }
        }
    }

    /** Whether {@code closing} declares a loop that repeats {@code step}: its output is the step's feedback. */
    private static boolean closesLoopAround(String closing, String step, Map<String, List<String>> bodies) {
        List<String> body = bodies.get(closing);
        return body != null && body.contains(step);
    }

    private static List<WorkflowProblem> overlappingLoops(List<Step> steps, Map<String, Integer> index,
            Map<String, List<String>> bodies) {
        List<WorkflowProblem> problems = new ArrayList<>();
        List<String> closers = new ArrayList<>(bodies.keySet());
        for (int b = 1; b < closers.size(); b++) {
            Set<String> later = new HashSet<>(bodies.get(closers.get(b)));
            for (int a = 0; a < b; a++) {
                Set<String> earlier = new HashSet<>(bodies.get(closers.get(a)));
                boolean shared = !Collections.disjoint(earlier, later);
                if (shared && !earlier.containsAll(later) && !later.containsAll(earlier)) {
                    int i = index.get(closers.get(b));
                    Step step = steps.get(i);
                    Step other = steps.get(index.get(closers.get(a)));
                    problems.add(WorkflowProblem.at(i, step, "loop", "this loop (back to '" + step.loop().backTo()
                            + "') and the loop of step '" + other.id() + "' (back to '" + other.loop().backTo()
                            + "') share steps, but neither holds the other; loops must be apart or one inside the"
                            + " other"));
                    break;
                }
            }
        }
        return problems;
    }

    private static String listed(String what, Set<String> names) {
        return "(" + what + ": " + String.join(", ", names) + ")";
    }

    private static Map<String, Integer> indexOf(List<Step> steps) {
        Map<String, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < steps.size(); i++) {
            index.putIfAbsent(steps.get(i).id(), i);
        }
        return Collections.unmodifiableMap(index);
    }

    /** Needs dependencies without circles. */
    private static List<Set<String>> upstreamOf(List<Step> steps, Map<String, Integer> index) {
        List<Set<String>> upstream = new ArrayList<>(Collections.nCopies(steps.size(), null));
        for (int i = 0; i < steps.size(); i++) {
            upstreamOf(i, steps, index, upstream);
        }
        return List.copyOf(upstream);
    }

    private static Set<String> upstreamOf(int i, List<Step> steps, Map<String, Integer> index,
            List<Set<String>> upstream) {
        Set<String> known = upstream.get(i);
        if (known != null) {
            return known;
        }
        Set<String> all = new LinkedHashSet<>();
        for (String dependency : steps.get(i).dependsOn()) {
            all.add(dependency);
            all.addAll(upstreamOf(index.get(dependency), steps, index, upstream));
        }
        Set<String> result = Collections.unmodifiableSet(all);
        upstream.set(i, result);
        return result;
    }

    /** A loop's body: its closing step, and the steps upstream of it that are the loop's target or downstream of it. */
    private static Map<String, List<String>> loopBodiesOf(List<Step> steps, Map<String, Integer> index,
            List<Set<String>> upstream) {
        Map<String, List<String>> bodies = new LinkedHashMap<>();
        for (int c = 0; c < steps.size(); c++) {
            Loop loop = steps.get(c).loop();
            if (loop == null || !upstream.get(c).contains(loop.backTo())) {
                continue;
            }
            List<String> body = new ArrayList<>();
            for (int i = 0; i < steps.size(); i++) {
                String id = steps.get(i).id();
                boolean between = upstream.get(c).contains(id)
                        && (id.equals(loop.backTo()) || upstream.get(i).contains(loop.backTo()));
                if (i == c || between) {
                    body.add(id);
                }
            }
            bodies.put(steps.get(c).id(), List.copyOf(body));
        }
        return Collections.unmodifiableMap(bodies);
    }

    private static List<Set<String>> waitsForOf(List<Step> steps, Map<String, List<String>> bodies) {
        List<Set<String>> waits = new ArrayList<>();
        for (Step step : steps) {
            Set<String> all = new LinkedHashSet<>(step.dependsOn());
            bodies.forEach((closing, body) -> {
                if (!body.contains(step.id())) {
                    for (String dependency : step.dependsOn()) {
                        if (!dependency.equals(closing) && body.contains(dependency)) {
                            all.add(closing);
                        }
                    }
                }
            });
            waits.add(Collections.unmodifiableSet(all));
        }
        return List.copyOf(waits);
    }

    /** Kahn's algorithm, taking the step written first among those whose waits are over. */
    private static List<String> orderOf(List<Step> steps, Map<String, Integer> index, List<Set<String>> waitsFor) {
        int[] waiting = new int[steps.size()];
        Map<String, List<Integer>> waitedOnBy = new HashMap<>();
        PriorityQueue<Integer> ready = new PriorityQueue<>();
        for (int i = 0; i < steps.size(); i++) {
            waiting[i] = waitsFor.get(i).size();
            for (String id : waitsFor.get(i)) {
                waitedOnBy.computeIfAbsent(id, key -> new ArrayList<>()).add(i);
            }
            if (waiting[i] == 0) {
                ready.add(i);
            }
        }
        List<String> order = new ArrayList<>();
        while (!ready.isEmpty()) {
            int next = ready.poll();
            order.add(steps.get(next).id());
            for (int follower : waitedOnBy.getOrDefault(steps.get(next).id(), List.of())) {
                if (--waiting[follower] == 0) {
                    ready.add(follower);
                }
            }
        }
        if (order.size() != steps.size()) {
            // The loop rules above keep the extra waits from forming a circle; this would be a bug here.
            throw new IllegalStateException("steps cannot be ordered: " + index.keySet());
        }
        return List.copyOf(order);
    }
}
