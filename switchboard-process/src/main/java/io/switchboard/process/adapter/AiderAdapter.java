package io.switchboard.process.adapter;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Aider, scripted: {@code aider --message-file FILE --yes-always ...}; it reads the prompt from a private file,
 * answers, applies its edits and exits. Its output is text: after each exchange with the model it prints
 * {@code Tokens: 2.3k sent, 154 received. Cost: $0.0071 message, $0.0071 session.}, which gives tokens and the
 * session's cost so far. Provider errors are printed as {@code litellm.<Kind>Error: ...} followed by aider's own
 * explanation; aider retries some of them, so an error only counts when no exchange succeeds after it.
 *
 * <p>Aider has no read-only switch, but it has a read-only chat mode: {@code plan} runs it with
 * {@code --chat-mode ask} (the model answers and never edits) and {@code --dry-run} (nothing is written even if it
 * tries). It has no permission bypass either: {@code --yes-always} never runs a shell command the model suggests,
 * so {@code full-auto} is {@code auto}, with or without {@code bypass_permissions}.
 */
public final class AiderAdapter implements CliAdapter {
    static final String PROGRAM = "aider";

    /**
     * Flags that keep a scripted run from waiting on, or acting on, a question nobody is there to answer: with
     * {@code --yes-always} aider would otherwise accept the analytics opt-in, and open release notes and model
     * documentation in a browser.
     */
    static final List<String> NON_INTERACTIVE = List.of("--yes-always", "--no-pretty", "--no-stream",
            "--no-fancy-input", "--no-check-update", "--no-show-release-notes", "--no-show-model-warnings",
            "--no-analytics");

    private final TimeBase time;

    /** Obtained through {@link Adapters#of}, which gives every adapter the same time base. */
    AiderAdapter(TimeBase time) {
        this.time = time;
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return PromptDelivery.FILE;
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        Objects.requireNonNull(promptFile, "aider reads the prompt from a file; promptFile");
        List<String> argv = Program.of(profile, PROGRAM);
        argv.addAll(List.of("--message-file", promptFile.toString()));
        argv.addAll(NON_INTERACTIVE);
        argv.addAll(switch (mode) {
            // --no-gitignore: aider would otherwise add .aider* to the project's .gitignore.
            case PLAN -> List.of("--chat-mode", "ask", "--dry-run", "--no-gitignore");
            case AUTO, FULL_AUTO -> List.of();
        });
        argv.addAll(profile.flagsFor(mode));
        return List.copyOf(argv);
    }

    @Override
    public List<String> versionArgv(AgentProfile profile) {
        return Program.version(profile, PROGRAM);
    }

    @Override
    public OutputReader newReader() {
        return new Reader(time);
    }

    private static final class Reader implements OutputReader {
        private static final String COUNT = "([0-9][0-9.,]*[kKmM]?)";
        private static final Pattern TOKENS = Pattern.compile("^(?:>\\s*)?Tokens:\\s+" + COUNT + " sent"
                + "(?:,\\s+" + COUNT + " cache write)?(?:,\\s+" + COUNT + " cache hit)?,\\s+" + COUNT + " received\\."
                + "(?:\\s+Cost:\\s+\\$([0-9][0-9.]*) message,\\s+\\$([0-9][0-9.]*) session\\.?)?");
        /** A provider error as aider prints it: the litellm exception, then aider's explanation of it. */
        private static final Pattern ERROR = Pattern.compile("^(?:>\\s*)?(?:litellm\\.[A-Za-z]*Error\\b"
                + "|The API provider (?:is not able to authenticate you|has rate limited you"
                + "|has refused the request|'s servers are down|timed out))");
        private static final Pattern DONE = Pattern.compile("^(?:>\\s*)?(?:Applied edit to |Commit [0-9a-f]{7,} )");
        private static final int MAX_KEPT_LINES = 40;

        private final TimeBase time;
        private final RunEvidence run;
        private final List<String> pendingErrors = new ArrayList<>();
        private final List<String> done = new ArrayList<>();
        private final Deque<String> tail = new ArrayDeque<>();
        private long input;
        private long output;
        private Double sessionCost;

        Reader(TimeBase time) {
            this.time = time;
            this.run = new RunEvidence(PROGRAM, time);
        }

        @Override
        public Usage line(String line, boolean truncated) {
            String text = FailureText.stripAnsi(line).strip();
            if (text.isEmpty()) {
                return null;
            }
            keep(tail, text);
            Matcher tokens = TOKENS.matcher(text);
            if (tokens.find()) {
                // An exchange completed: whatever failed before it was retried successfully.
                pendingErrors.clear();
                input += count(tokens.group(1));
                output += count(tokens.group(4));
                if (tokens.group(6) != null) {
                    sessionCost = Double.valueOf(tokens.group(6));
                }
                run.usage = new Usage(input, output, sessionCost);
                return run.usage;
            }
            if (ERROR.matcher(text).find()) {
                if (pendingErrors.size() < MAX_KEPT_LINES) {
                    pendingErrors.add(text);
                }
            } else if (DONE.matcher(text).find() && done.size() < MAX_KEPT_LINES) {
                done.add(text.replaceFirst("^>\\s*", ""));
            }
            return null;
        }

        @Override
        public Reading finish(int exitCode, String stderrTail) {
            String stderr = stderrTail == null ? "" : stderrTail;
            if (!pendingErrors.isEmpty()) {
                run.reported = FailureText.reported(pendingErrors.get(0), String.join("\n", pendingErrors),
                        FailureType.AGENT_ERROR, time);
            } else if (exitCode == 0) {
                run.finished = true;
                run.summary = String.join("\n", done);
            } else {
                tail.forEach(line -> run.notStructured(line, false));
            }
            return run.judge(exitCode, stderr);
        }

        /** Aider's short counts: {@code 154}, {@code 2.3k}, {@code 12k}, {@code 1,204}. */
        static long count(String text) {
            String plain = text.replace(",", "").toLowerCase(Locale.ROOT);
            double factor = plain.endsWith("k") ? 1_000 : plain.endsWith("m") ? 1_000_000 : 1;
            String number = factor == 1 ? plain : plain.substring(0, plain.length() - 1);
            try {
                return Math.round(Double.parseDouble(number) * factor);
            } catch (NumberFormatException e) {
                return 0;
            }
        }

        private static void keep(Deque<String> lines, String line) {
            if (lines.size() == MAX_KEPT_LINES) {
                lines.removeFirst();
            }
            lines.addLast(line);
        }
    }
}
