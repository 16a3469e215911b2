package io.switchboard.process;

import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.Usage;
import io.switchboard.process.adapter.CliAdapter;
import io.switchboard.process.adapter.CommandAdapter;
import io.switchboard.process.adapter.OutputReader;
import io.switchboard.process.adapter.Reading;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A command adapter whose reader records every line it is given and understands a few lines of its own, so
 * that tests can see what an adapter sees and drive usage, summaries and failures from the fake agent:
 * <ul>
 *   <li>{@code usage IN OUT COST}: usage so far (COST {@code -} for tokens only)</li>
 *   <li>{@code summary TEXT}, {@code session ID}: the run's summary and session id</li>
 * </ul>
 * At the end, exit status 0 is a success; a standard error mentioning {@code quota exceeded} is QUOTA; any
 * other status is EXIT_CODE.
 */
final class RecordingAdapter implements CliAdapter {
    record Line(String text, boolean truncated) {
    }

    private final CommandAdapter command = new CommandAdapter();
    private final List<String> versionArgv;
    final List<Line> lines = new CopyOnWriteArrayList<>();
    final List<String> stderrTails = new CopyOnWriteArrayList<>();
    private final String awaitedLine;
    private final CountDownLatch awaited = new CountDownLatch(1);

    RecordingAdapter() {
        this(List.of(), null);
    }

    RecordingAdapter(List<String> versionArgv, String awaitedLine) {
        this.versionArgv = versionArgv;
        this.awaitedLine = awaitedLine;
    }

    static RecordingAdapter withVersion(List<String> argv) {
        return new RecordingAdapter(argv, null);
    }

    static RecordingAdapter awaiting(String line) {
        return new RecordingAdapter(List.of(), line);
    }

    /** Waits until the awaited line has been read. */
    boolean sawAwaitedLine() throws InterruptedException {
        return awaited.await(30, TimeUnit.SECONDS);
    }

    @Override
    public PromptDelivery promptDelivery(AgentProfile profile) {
        return command.promptDelivery(profile);
    }

    @Override
    public List<String> argv(AgentProfile profile, Mode mode, boolean bypassPermissions, Path promptFile) {
        return command.argv(profile, mode, bypassPermissions, promptFile);
    }

    @Override
    public List<String> versionArgv(AgentProfile profile) {
        return versionArgv;
    }

    @Override
    public OutputReader newReader() {
        return new OutputReader() {
            private String summary = "";
            private String session;
            private Usage usage = Usage.NONE;

            @Override
            public Usage line(String line, boolean truncated) {
                lines.add(new Line(line, truncated));
                if (line.equals(awaitedLine)) {
                    awaited.countDown();
                }
                String[] words = line.split(" ", 2);
                switch (words[0]) {
                    case "usage" -> {
                        String[] numbers = words[1].split(" ");
                        usage = new Usage(Long.parseLong(numbers[0]), Long.parseLong(numbers[1]),
                                numbers[2].equals("-") ? null : Double.parseDouble(numbers[2]));
                        return usage;
                    }
                    case "summary" -> summary = words[1];
                    case "session" -> session = words[1];
                    default -> {
                    }
                }
                return null;
            }

            @Override
            public Reading finish(int exitCode, String stderrTail) {
                stderrTails.add(stderrTail);
                FailureInfo failure = null;
                if (exitCode != 0 && stderrTail.contains("quota exceeded")) {
                    failure = FailureInfo.of(FailureType.QUOTA, "out of quota");
                } else if (exitCode != 0) {
                    failure = FailureInfo.of(FailureType.EXIT_CODE, "exited with status " + exitCode);
                }
                return new Reading(failure, usage, session, summary);
            }
        };
    }
}
