package io.switchboard.process.adapter;

import io.switchboard.core.agent.Adapter;
import java.time.InstantSource;
import java.time.ZoneId;

/** The {@link CliAdapter} for each kind of agent program. */
public final class Adapters {
    private Adapters() {
    }

    /** The adapter for {@code kind}, reading reset times against the system clock in the machine's zone. */
    public static CliAdapter of(Adapter kind) {
        return of(kind, InstantSource.system(), ZoneId.systemDefault());
    }

    /**
     * The adapter for {@code kind}.
     *
     * @param clock what relative reset times ("try again in 2 hours") are read against
     * @param zone the zone the CLIs print local reset times in ("try again at 3:28 PM"): the machine's own, since
     *     the CLI runs on it
     */
    public static CliAdapter of(Adapter kind, InstantSource clock, ZoneId zone) {
        TimeBase time = new TimeBase(clock, zone);
        return switch (kind) {
            case CLAUDE_CODE -> new ClaudeCodeAdapter(time);
            case CODEX -> new CodexAdapter(time);
            case GEMINI -> new GeminiAdapter(time);
            case CURSOR -> new CursorAdapter(time);
            case AIDER -> new AiderAdapter(time);
            case COMMAND -> new CommandAdapter();
        };
    }
}
