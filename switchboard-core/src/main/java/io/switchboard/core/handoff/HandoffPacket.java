package io.switchboard.core.handoff;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.Task;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * What an agent is told about a task that other attempts have worked on: the goal, the original task, what the last
 * attempt did (its final answer or the end of its output, the files it changed, its verification), what failed and
 * why, the open questions, and where all this came from. Switchboard builds it from the stored task and its
 * attempts; agents never write it.
 *
 * <p>It is given after the task's prompt, which stays first and unchanged, and is rendered as markdown by
 * {@link #fit}: the prompt and the failure digest are always kept whole, the rest is trimmed from its least
 * important end until the whole fits the receiving agent's share of its context limit, and the packet says what was
 * left out.
 *
 * @param taskId the task's id
 * @param goal what the task is for: its title
 * @param successMeans what has to be true for the task to succeed
 * @param prompt the task's prompt, whole
 * @param done what the last attempt did, or {@code null} when no attempt ran before
 * @param failures the failure digest: every attempt that did not succeed, oldest first
 * @param questions lines the earlier attempts marked as questions, oldest first, without repeats
 * @param note what the person who handed the task off asked to pass on, or empty
 */
public record HandoffPacket(
        String taskId,
        String goal,
        String successMeans,
        String prompt,
        WorkDone done,
        List<FailedAttempt> failures,
        List<Question> questions,
        String note,
        Provenance provenance) {

    /** Of the receiving agent's context limit, the share the prompt and its packet may take; the rest is its room. */
    public static final double CONTEXT_SHARE = 0.5;
    /** The end of an attempt's output stands in for a final answer it did not give: this many lines at most. */
    public static final int OUTPUT_TAIL_LINES = 60;
    /** The end of a failed verification's output: this many lines at most. */
    public static final int VERIFY_TAIL_LINES = 40;
    /** Lines of a failed attempt's output kept in the failure digest. */
    public static final int KEY_LINES = 5;
    /** A key line longer than this is cut. */
    public static final int KEY_LINE_CHARS = 200;
    /** What separates the task's prompt from the packet after it. */
    public static final String SEPARATOR = "\n\n";

    /** Lines that say what went wrong, by the words tools print when something does. */
    private static final Pattern KEY_LINE = Pattern.compile("(?i)\\b(error|errors|fail|failed|failure|failures|"
            + "exception|fatal|panic|traceback|denied|refused|cannot|can't|not found|no such|timed out|assert\\w*)\\b");
    /** A line an agent marks as a question: {@code QUESTION: …} or {@code Open question: …}, maybe as a list item. */
    private static final Pattern QUESTION = Pattern.compile("(?i)^\\s*(?:[-*>]\\s*)?(?:open\\s+)?question:\\s*(.+)$");
    /** The line {@code KeptText} puts where it cut a stored output. */
    private static final Pattern OMITTED = Pattern.compile("^… \\[\\d+ characters omitted] …$");

    public HandoffPacket {
        Objects.requireNonNull(taskId, "taskId");
        goal = goal == null ? "" : goal;
        Objects.requireNonNull(successMeans, "successMeans");
        Objects.requireNonNull(prompt, "prompt");
        failures = List.copyOf(failures);
        questions = List.copyOf(questions);
        note = note == null ? "" : note.strip();
        Objects.requireNonNull(provenance, "provenance");
    }

    /** What the last attempt before this one did. */
    public record WorkDone(int attempt, String agent, String outcome, String summary, boolean finalAnswer,
            Changes changes, Verification verification) {
        public WorkDone {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(outcome, "outcome");
            summary = summary == null ? "" : summary;
            Objects.requireNonNull(changes, "changes");
            Objects.requireNonNull(verification, "verification");
        }
    }

    /** How the last attempt's verification went. */
    public record Verification(String command, Result result, String message, String output) {
        public enum Result {
            /** No verification command applies to the task. */
            NONE,
            /** The attempt ended before its verification ran. */
            NOT_RUN,
            FAILED
        }

        public Verification {
            command = command == null ? "" : command;
            Objects.requireNonNull(result, "result");
            message = message == null ? "" : message;
            output = output == null ? "" : output;
        }
    }

    /** One line of the failure digest, with the lines of its output that say most about it. */
    public record FailedAttempt(int number, String agent, String state, FailureType type, String message,
            List<String> keyLines) {
        public FailedAttempt {
            Objects.requireNonNull(agent, "agent");
            Objects.requireNonNull(state, "state");
            Objects.requireNonNull(type, "type");
            message = message == null ? "" : message;
            keyLines = List.copyOf(keyLines);
        }
    }

    /** A line an attempt marked as a question. */
    public record Question(int attempt, String agent, String text) {
    }

    /**
     * Where the packet came from.
     *
     * @param fromAttempt the last attempt before this one, or {@code null} when there was none
     * @param handoffRequestedAt when a person handed the task off, or {@code null} for a retry
     * @param stepHandoff the workflow step whose failure hands the task to another task, or {@code null}
     */
    public record Provenance(String toAgent, int forAttempt, Instant writtenAt, Integer fromAttempt, String fromAgent,
            Instant fromStartedAt, Instant fromFinishedAt, Instant handoffRequestedAt, StepHandoff stepHandoff) {
        public Provenance {
            Objects.requireNonNull(toAgent, "toAgent");
            Objects.requireNonNull(writtenAt, "writtenAt");
        }
    }

    /**
     * A workflow step that failed and is handed, as its {@code on_failure: handoff} says, to another agent as a task
     * of its own.
     *
     * @param toTask the id of the task that takes the step over
     */
    public record StepHandoff(String runId, String stepId, String toTask) {
        public StepHandoff {
            Objects.requireNonNull(runId, "runId");
            Objects.requireNonNull(stepId, "stepId");
            Objects.requireNonNull(toTask, "toTask");
        }
    }

    /**
     * Builds the packet for the next attempt of a task.
     *
     * @param history the task's attempts, by number; only those after its last success count (an earlier success
     *     ended an earlier run of the task). The files the last of them changed are its recorded
     *     {@link AttemptRecord#changes()}
     * @param verifyCommand the task's verification command as one line, or {@code null} when it has none
     * @param handoff the handoff the attempt takes up or runs under, or {@code null} for a plain retry
     * @param toAgent the agent that receives it
     * @param forAttempt the number of the attempt that receives it
     */
    public static HandoffPacket of(Task task, List<AttemptRecord> history, String verifyCommand, Handoff handoff,
            String toAgent, int forAttempt, Instant now) {
        List<AttemptRecord> relevant = sinceLastSuccess(history);
        AttemptRecord last = relevant.isEmpty() ? null : relevant.getLast();
        List<FailedAttempt> failures = new ArrayList<>();
        List<Question> questions = new ArrayList<>();
        Set<String> asked = new LinkedHashSet<>();
        for (AttemptRecord record : relevant) {
            if (record.failure() != null) {
                failures.add(failedAttempt(record));
            }
            for (String text : markedQuestions(record.answer() + "\n" + record.output())) {
                if (asked.add(text)) {
                    questions.add(new Question(record.attempt().number(), record.attempt().agentName(), text));
                }
            }
        }
        String successMeans = verifyCommand == null ? "the agent finishes its work without an error"
                : "the agent finishes its work without an error and the verification `" + verifyCommand + "` passes";
        Provenance provenance = new Provenance(toAgent, forAttempt, now,
                last == null ? null : last.attempt().number(), last == null ? null : last.attempt().agentName(),
                last == null ? null : last.attempt().startedAt(), last == null ? null : last.attempt().finishedAt(),
                handoff == null ? null : handoff.requestedAt(), null);
        return new HandoffPacket(task.id(), task.title(), successMeans, task.prompt(),
                last == null ? null : workDone(last, verifyCommand), failures, questions,
                handoff == null ? "" : handoff.note(), provenance);
    }

    /**
     * Builds the packet for the task that takes over a failed workflow step: what the failed step's task did and why
     * it failed, for the first attempt of {@code step.toTask()}.
     *
     * @param failed the failed step's task
     * @param history its attempts, by number
     * @param verifyCommand its verification command as one line, or {@code null} when it has none
     */
    public static HandoffPacket forStep(Task failed, List<AttemptRecord> history, String verifyCommand,
            StepHandoff step, String toAgent, Instant now) {
        HandoffPacket packet = of(failed, history, verifyCommand, null, toAgent, 1, now);
        Provenance p = packet.provenance();
        return new HandoffPacket(packet.taskId(), packet.goal(), packet.successMeans(), packet.prompt(),
                packet.done(), packet.failures(), packet.questions(), packet.note(),
                new Provenance(p.toAgent(), 1, now, p.fromAttempt(), p.fromAgent(), p.fromStartedAt(),
                        p.fromFinishedAt(), null, Objects.requireNonNull(step, "step")));
    }

    /** The attempts after the last one that succeeded: those of the task's current run. */
    public static List<AttemptRecord> sinceLastSuccess(List<AttemptRecord> history) {
        int from = 0;
        for (int i = 0; i < history.size(); i++) {
            if (history.get(i).attempt().state() == AttemptState.SUCCEEDED) {
                from = i + 1;
            }
        }
        return history.subList(from, history.size());
    }

    /** Whether a retry gets a packet: when an attempt of the task's current run did not succeed. */
    public static boolean dueAfter(List<AttemptRecord> history) {
        return sinceLastSuccess(history).stream().anyMatch(record -> record.failure() != null);
    }

    private static WorkDone workDone(AttemptRecord record, String verifyCommand) {
        String summary = record.answer().strip();
        boolean finalAnswer = !summary.isEmpty();
        if (!finalAnswer) {
            summary = String.join("\n", tail(lines(record.output()), OUTPUT_TAIL_LINES));
        }
        return new WorkDone(record.attempt().number(), record.attempt().agentName(), outcome(record), summary,
                finalAnswer, Changes.of(record.changes()), verification(record, verifyCommand));
    }

    private static String outcome(AttemptRecord record) {
        AttemptState state = record.attempt().state();
        if (state.inFlight()) {
            return "still running";
        }
        String name = state.name().toLowerCase(Locale.ROOT).replace('_', ' ');
        return record.failure() == null ? name : name + " (" + record.failure() + ")";
    }

    private static Verification verification(AttemptRecord record, String command) {
        if (command == null) {
            return new Verification("", Verification.Result.NONE, "", "");
        }
        // Only attempts that did not succeed are described: a success ends the run.
        FailureInfo failure = record.failure();
        if (failure != null && failure.type() == FailureType.VERIFY_FAILED) {
            return new Verification(command, Verification.Result.FAILED, failure.message(),
                    String.join("\n", tail(lines(record.verifyOutput()), VERIFY_TAIL_LINES)));
        }
        return new Verification(command, Verification.Result.NOT_RUN, "", "");
    }

    private static FailedAttempt failedAttempt(AttemptRecord record) {
        FailureInfo failure = record.failure();
        String text = failure.detail() + "\n" + record.output()
                + (failure.type() == FailureType.VERIFY_FAILED ? "\n" + record.verifyOutput() : "");
        return new FailedAttempt(record.attempt().number(), record.attempt().agentName(),
                record.attempt().state().name().toLowerCase(Locale.ROOT).replace('_', ' '), failure.type(),
                failure.message(), keyLines(text));
    }

    /**
     * The lines that say most about a failure: the last {@value #KEY_LINES} that name an error or a failure, or,
     * when none does, the last {@value #KEY_LINES} that are not blank; each cut to {@value #KEY_LINE_CHARS}
     * characters.
     */
    static List<String> keyLines(String text) {
        List<String> candidates = lines(text).stream()
                .map(String::strip)
                .filter(line -> !line.isEmpty() && !line.equals("--- stderr ---") && !OMITTED.matcher(line).matches())
                .toList();
        List<String> flagged = candidates.stream().filter(line -> KEY_LINE.matcher(line).find()).toList();
        List<String> chosen = tail(flagged.isEmpty() ? candidates : flagged, KEY_LINES);
        Set<String> unique = new LinkedHashSet<>();
        for (String line : chosen) {
            unique.add(line.length() <= KEY_LINE_CHARS ? line : line.substring(0, KEY_LINE_CHARS - 1) + "…");
        }
        return List.copyOf(unique);
    }

    /** The questions an agent marked in its text ({@code QUESTION: …}, {@code Open question: …}). */
    static List<String> markedQuestions(String text) {
        List<String> found = new ArrayList<>();
        for (String line : lines(text)) {
            var matcher = QUESTION.matcher(line);
            if (matcher.matches()) {
                found.add(matcher.group(1).strip());
            }
        }
        return found;
    }

    static List<String> lines(String text) {
        if (text == null || text.isBlank()) {
            return List.of();
        }
        List<String> lines = new ArrayList<>();
        for (String line : text.split("\n", -1)) {
            lines.add(line.endsWith("\r") ? line.substring(0, line.length() - 1) : line);
        }
        while (!lines.isEmpty() && lines.getLast().isBlank()) {
            lines.removeLast();
        }
        while (!lines.isEmpty() && lines.getFirst().isBlank()) {
            lines.removeFirst();
        }
        return lines;
    }

    private static <T> List<T> tail(List<T> list, int count) {
        return list.subList(Math.max(0, list.size() - count), list.size());
    }

    // ---- size

    /**
     * Tokens in a text, estimated as the rest of Switchboard estimates them: one per
     * {@value io.switchboard.core.task.TraitInference#CHARS_PER_TOKEN} characters, rounded up.
     */
    public static long estimateTokens(String text) {
        int per = io.switchboard.core.task.TraitInference.CHARS_PER_TOKEN;
        return (text.length() + per - 1) / per;
    }

    /**
     * What the packet may take of an agent's context limit: its {@linkplain #CONTEXT_SHARE share}, less the task's
     * prompt that comes before it.
     */
    public record Budget(String agent, int contextLimit, long tokens) {
        public Budget {
            Objects.requireNonNull(agent, "agent");
            if (contextLimit <= 0) {
                throw new IllegalArgumentException("context limit must be more than zero, was " + contextLimit);
            }
            tokens = Math.max(0, tokens);
        }

        public static Budget after(String prompt, String agent, int contextLimit) {
            long share = (long) Math.floor(contextLimit * CONTEXT_SHARE);
            return new Budget(agent, contextLimit, share - estimateTokens(prompt + SEPARATOR));
        }
    }

    /**
     * The packet as given: markdown text, and what had to be left out of it.
     *
     * @param tokens the text's estimated size
     * @param leftOut one entry per part trimmed or left out, most important first
     */
    public record Fitted(String text, long tokens, Budget budget, List<String> leftOut) {
        public Fitted {
            Objects.requireNonNull(text, "text");
            leftOut = List.copyOf(leftOut);
        }

        /** The prompt an agent receives: the task's prompt whole, then the packet. */
        public String after(String prompt) {
            return prompt + SEPARATOR + text;
        }
    }

    /**
     * Renders the packet to fit the budget. The header, the goal, the failure digest and the line that says how
     * the last attempt ended are always kept; the parts that may be trimmed are given room in this order, each as
     * much as fits, and the rest is left out: the note, the agents' questions, the last attempt's answer (its end is
     * kept), the failed verification's output (its end), the diff's size, the list of changed files (its start), and
     * the provenance.
     */
    public Fitted fit(Budget budget) {
        Rendering rendering = new Rendering(this);
        int[] kept = new int[Part.values().length];
        String text = rendering.render(kept, budget);
        for (Part part : Part.values()) {
            int total = rendering.linesOf(part).size();
            if (total == 0) {
                continue;
            }
            kept[part.ordinal()] = total;
            String whole = rendering.render(kept, budget);
            if (estimateTokens(whole) <= budget.tokens()) {
                text = whole;
                continue;
            }
            // The most lines of this part that fit, found by halving; none is what was checked before.
            int low = 0;
            int high = total - 1;
            while (low < high) {
                int middle = (low + high + 1) / 2;
                kept[part.ordinal()] = middle;
                if (estimateTokens(rendering.render(kept, budget)) <= budget.tokens()) {
                    low = middle;
                } else {
                    high = middle - 1;
                }
            }
            kept[part.ordinal()] = low;
            text = rendering.render(kept, budget);
        }
        long tokens = estimateTokens(text);
        if (tokens > budget.tokens()) {
            // What is kept whole does not fit: say so rather than cut the task or the digest.
            text += "The goal, the task and the failure digest alone take about " + tokens + " tokens, more than the "
                    + budget.tokens() + " this packet may take; they are kept whole.\n";
            tokens = estimateTokens(text);
        }
        return new Fitted(text, tokens, budget, rendering.leftOut(kept));
    }

    /** The parts that may be trimmed, most important first. */
    enum Part {
        NOTE("the note from the person who handed the task off", false),
        QUESTIONS("the agents' questions", false),
        SUMMARY("the last attempt's answer", true),
        VERIFY_OUTPUT("the failed verification's output", true),
        DIFF_STAT("the size of the diff", false),
        FILES("the list of files changed", false),
        PROVENANCE("the provenance", false);

        final String description;
        /** Whether trimming keeps the end of the part (the end of an output says most) rather than its start. */
        final boolean keepsEnd;

        Part(String description, boolean keepsEnd) {
            this.description = description;
            this.keepsEnd = keepsEnd;
        }
    }

    /** Renders the packet with so many lines of each part. */
    private static final class Rendering {
        private final HandoffPacket packet;
        private final List<List<String>> parts = new ArrayList<>();

        Rendering(HandoffPacket packet) {
            this.packet = packet;
            for (Part part : Part.values()) {
                parts.add(build(part));
            }
        }

        List<String> linesOf(Part part) {
            return parts.get(part.ordinal());
        }

        private List<String> build(Part part) {
            WorkDone done = packet.done();
            Provenance p = packet.provenance();
            return switch (part) {
                case NOTE -> HandoffPacket.lines(packet.note());
                case QUESTIONS -> packet.questions().stream()
                        .map(q -> "Attempt " + q.attempt() + " on " + q.agent() + " asked: " + q.text()).toList();
                case SUMMARY -> done == null ? List.of() : HandoffPacket.lines(done.summary());
                case VERIFY_OUTPUT -> done == null ? List.of() : HandoffPacket.lines(done.verification().output());
                // Nothing changed says all there is; a commit is where the work can be looked at.
                case DIFF_STAT -> done == null || done.changes().files().isEmpty()
                        || done.changes().diffStat().isEmpty() ? List.of()
                        : List.of(done.changes().diffStat() + (done.changes().commit().isEmpty() ? ""
                                : " (commit " + done.changes().commit() + ")"));
                case FILES -> done == null ? List.of() : done.changes().files();
                case PROVENANCE -> {
                    List<String> lines = new ArrayList<>();
                    StepHandoff step = p.stepHandoff();
                    lines.add(step != null
                            ? "Written by Switchboard at " + seconds(p.writtenAt()) + " for the first attempt of task "
                                    + step.toTask() + " on " + p.toAgent() + ", after step '" + step.stepId()
                                    + "' of workflow run " + step.runId() + " failed (on_failure: handoff)."
                            : "Written by Switchboard at " + seconds(p.writtenAt()) + " for attempt " + p.forAttempt()
                                    + " on " + p.toAgent() + (p.handoffRequestedAt() == null ? ", as a retry."
                                            : ", after a person handed the task off at "
                                                    + seconds(p.handoffRequestedAt()) + "."));
                    if (p.fromAttempt() != null) {
                        lines.add("The attempt before it: " + p.fromAttempt() + " on " + p.fromAgent() + ", from "
                                + seconds(p.fromStartedAt())
                                + (p.fromFinishedAt() == null ? "" : " to " + seconds(p.fromFinishedAt())) + ".");
                    }
                    yield lines;
                }
            };
        }

        private List<String> kept(Part part, int[] kept) {
            List<String> all = linesOf(part);
            int count = Math.min(kept[part.ordinal()], all.size());
            return part.keepsEnd ? all.subList(all.size() - count, all.size()) : all.subList(0, count);
        }

        String render(int[] kept, Budget budget) {
            StringBuilder out = new StringBuilder();
            Provenance p = packet.provenance();
            out.append("---\n\n# Handoff packet for ").append(packet.taskId()).append("\n\n");
            StepHandoff step = p.stepHandoff();
            out.append(step != null
                    ? "Step '" + step.stepId() + "' of workflow run " + step.runId()
                            + " failed, and the workflow hands it to you (" + p.toAgent() + ") as task "
                            + step.toTask() + "."
                    : p.handoffRequestedAt() != null
                    ? "A person handed the task above to you (" + p.toAgent() + "); yours is attempt " + p.forAttempt()
                            + "."
                    : "Earlier attempts at the task above did not succeed; yours is attempt " + p.forAttempt() + ".")
                    .append(" Switchboard wrote what follows from the ")
                    .append(step != null ? "failed task's" : "task's")
                    .append(" record. The task above is unchanged and is still what to do; continue from where the "
                            + "work stands.\n\n");

            out.append("## Goal\n\n");
            if (!packet.goal().isBlank()) {
                out.append(packet.goal().strip()).append("\n\n");
            }
            out.append("Success means ").append(packet.successMeans()).append(".\n\n");

            WorkDone done = packet.done();
            if (done != null) {
                renderDone(out, done, kept);
            }
            if (!packet.failures().isEmpty()) {
                out.append("## What failed\n\n");
                for (FailedAttempt failure : packet.failures()) {
                    out.append("### Attempt ").append(failure.number()).append(" on ").append(failure.agent())
                            .append(": ").append(failure.state()).append(" (").append(failure.type().configName())
                            .append(")\n\n");
                    if (!failure.message().isBlank()) {
                        out.append(failure.message().strip()).append("\n\n");
                    }
                    if (!failure.keyLines().isEmpty()) {
                        out.append(fenced(String.join("\n", failure.keyLines()))).append("\n");
                    }
                }
            }
            List<String> note = kept(Part.NOTE, kept);
            List<String> questions = kept(Part.QUESTIONS, kept);
            if (!note.isEmpty() || !questions.isEmpty()) {
                out.append("## Open questions\n\n");
                if (!note.isEmpty()) {
                    out.append("From the person who handed the task off:\n\n");
                    note.forEach(line -> out.append("> ").append(line).append("\n"));
                    out.append("\n");
                }
                questions.forEach(line -> out.append("- ").append(line).append("\n"));
                if (!questions.isEmpty()) {
                    out.append("\n");
                }
            }
            List<String> provenance = kept(Part.PROVENANCE, kept);
            if (!provenance.isEmpty()) {
                out.append("## Provenance\n\n");
                provenance.forEach(line -> out.append("- ").append(line).append("\n"));
                out.append("\n");
            }
            List<String> leftOut = leftOut(kept);
            if (!leftOut.isEmpty()) {
                out.append("## Left out\n\n").append("To fit within ")
                        .append(Math.round(CONTEXT_SHARE * 100)).append(" % of ").append(budget.agent())
                        .append("'s context limit of ").append(budget.contextLimit())
                        .append(" tokens (the task's prompt included), this packet leaves out:\n\n");
                leftOut.forEach(line -> out.append("- ").append(line).append("\n"));
                out.append("\n");
            }
            return out.toString();
        }

        private void renderDone(StringBuilder out, WorkDone done, int[] kept) {
            out.append("## What was done\n\n");
            out.append("Attempt ").append(done.attempt()).append(" on ").append(done.agent()).append(": ")
                    .append(done.outcome()).append(".\n\n");
            List<String> summary = kept(Part.SUMMARY, kept);
            if (linesOf(Part.SUMMARY).isEmpty()) {
                out.append("It left no final answer and no output.\n\n");
            } else if (!summary.isEmpty()) {
                out.append(done.finalAnswer() ? "Its final answer" : "The end of its output (it gave no final answer)")
                        .append(summary.size() < linesOf(Part.SUMMARY).size() ? ", without its first "
                                + (linesOf(Part.SUMMARY).size() - summary.size()) + " lines" : "")
                        .append(":\n\n").append(fenced(String.join("\n", summary))).append("\n");
            }
            Changes changes = done.changes();
            List<String> files = kept(Part.FILES, kept);
            if (!changes.recorded()) {
                out.append("Files changed: not recorded for this attempt.\n\n");
            } else if (changes.files().isEmpty()) {
                out.append("Files changed: none.\n\n");
            } else if (!files.isEmpty()) {
                out.append("Files changed:\n\n");
                files.forEach(line -> out.append("- `").append(line).append("`\n"));
                if (files.size() < changes.files().size()) {
                    out.append("- … and ").append(changes.files().size() - files.size()).append(" more\n");
                }
                out.append("\n");
            }
            if (!kept(Part.DIFF_STAT, kept).isEmpty()) {
                out.append("Diff: ").append(kept(Part.DIFF_STAT, kept).getFirst()).append("\n\n");
            }
            Verification verification = done.verification();
            switch (verification.result()) {
                case NONE -> out.append("Verification: none applies to this task.\n\n");
                case NOT_RUN -> out.append("Verification (`").append(verification.command())
                        .append("`): did not run; the attempt ended before it.\n\n");
                case FAILED -> {
                    // The dispatcher's message names the command again; say it once.
                    String message = verification.message().strip();
                    String prefix = "verification '" + verification.command() + "' failed: ";
                    message = message.startsWith(prefix) ? message.substring(prefix.length()) : message;
                    out.append("Verification (`").append(verification.command()).append("`): failed")
                            .append(message.isEmpty() ? "" : ": " + message).append(".\n\n");
                    List<String> output = kept(Part.VERIFY_OUTPUT, kept);
                    if (!output.isEmpty()) {
                        out.append("The end of its output:\n\n").append(fenced(String.join("\n", output)))
                                .append("\n");
                    }
                }
            }
        }

        /** What is trimmed or left out at these line counts, most important part first. */
        List<String> leftOut(int[] kept) {
            List<String> leftOut = new ArrayList<>();
            for (Part part : Part.values()) {
                int total = linesOf(part).size();
                int count = Math.min(kept[part.ordinal()], total);
                if (count == total) {
                    continue;
                }
                leftOut.add(count == 0 ? part.description + " (" + total + (total == 1 ? " line)" : " lines)")
                        : part.description + ": " + (total - count) + " of its " + total + " lines ("
                                + (part.keepsEnd ? "the start" : "the end") + ")");
            }
            return leftOut;
        }
    }

    /** An instant as a person reads it: to the second. */
    private static Instant seconds(Instant instant) {
        return instant.truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
    }

    /** A fenced block that the text cannot close early: its fence is longer than any run of backticks in it. */
    static String fenced(String text) {
        int longest = 0;
        int run = 0;
        for (int i = 0; i < text.length(); i++) {
            run = text.charAt(i) == '`' ? run + 1 : 0;
            longest = Math.max(longest, run);
        }
        String fence = "`".repeat(Math.max(3, longest + 1));
        return fence + "\n" + text + (text.endsWith("\n") ? "" : "\n") + fence + "\n";
    }
}
