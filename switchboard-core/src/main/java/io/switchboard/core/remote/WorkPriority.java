package io.switchboard.core.remote;

import java.util.Locale;
import java.util.Set;

/**
 * A message's priority, from a task's stated priority word: 0 (lowest) to 9 (highest), the range AMQP 0-9-1 gives
 * a message's priority property. The words are those that set a task's risk (see
 * {@link io.switchboard.core.task.TraitInference}), read the same way: case and surrounding space do not matter.
 */
public final class WorkPriority {
    public static final int LOWEST = 0;
    public static final int LOW = 2;
    /** A task that states no priority, or one not listed here. */
    public static final int NORMAL = 4;
    public static final int HIGH = 7;
    public static final int HIGHEST = 9;

    private static final Set<String> HIGHEST_WORDS = Set.of("critical", "urgent", "blocker", "highest", "p0");
    private static final Set<String> HIGH_WORDS = Set.of("high", "p1");
    private static final Set<String> LOW_WORDS = Set.of("low", "minor", "p3");
    private static final Set<String> LOWEST_WORDS = Set.of("lowest", "trivial", "p4");

    private WorkPriority() {
    }

    /** The message priority of a task's stated priority ({@code null} when it states none). */
    public static int of(String taskPriority) {
        if (taskPriority == null) {
            return NORMAL;
        }
        String word = taskPriority.strip().toLowerCase(Locale.ROOT);
        if (HIGHEST_WORDS.contains(word)) {
            return HIGHEST;
        }
        if (HIGH_WORDS.contains(word)) {
            return HIGH;
        }
        if (LOW_WORDS.contains(word)) {
            return LOW;
        }
        if (LOWEST_WORDS.contains(word)) {
            return LOWEST;
        }
        return NORMAL;
    }
}
