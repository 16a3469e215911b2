package io.switchboard.input.yaml;

import io.switchboard.core.config.ExecutionSettings;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Durations as people write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 4h}, {@code 14d}, or ISO-8601. */
public final class Durations {
    private Durations() {
    }

    /**
     * A time limit as written in a config or task file (an attempt's timeout or idle timeout, a verify timeout, a
     * cooldown): a duration as {@link #parse} reads it, more than zero, and at most
     * {@link ExecutionSettings#LONGEST_LIMIT}.
     *
     * @throws IllegalArgumentException saying what is wrong with the text, for the caller to report at its file,
     *     line and key
     */
    public static Duration limit(String text) {
        String written = text.strip();
        Duration limit = parse(written).orElseThrow(() -> new IllegalArgumentException(notADuration(written)));
        if (!limit.isPositive()) {
            throw new IllegalArgumentException("must be more than zero, was " + written);
        }
        if (limit.compareTo(ExecutionSettings.LONGEST_LIMIT) > 0) {
            throw new IllegalArgumentException("is beyond the longest allowed limit ("
                    + ExecutionSettings.LONGEST_LIMIT.toDays() + " days), was " + written);
        }
        return limit;
    }

    /** What is said of text that is not a duration. */
    static String notADuration(String written) {
        return "expected a duration such as 30s, 15m, 4h or 14d, found '" + written + "'";
    }

    public static Optional<Duration> parse(String text) {
        String value = text.strip().toLowerCase(Locale.ROOT);
        if (value.startsWith("p")) {
            try {
                return Optional.of(Duration.parse(value.toUpperCase(Locale.ROOT)));
            } catch (DateTimeParseException e) {
                return Optional.empty();
            }
        }
        int split = 0;
        while (split < value.length() && Character.isDigit(value.charAt(split))) {
            split++;
        }
        if (split == 0 || split == value.length()) {
            return Optional.empty();
        }
        long amount;
        try {
            amount = Long.parseLong(value.substring(0, split));
        } catch (NumberFormatException e) {
            return Optional.empty();
        }
        return switch (value.substring(split).strip()) {
            case "ms" -> Optional.of(Duration.ofMillis(amount));
            case "s", "sec", "second", "seconds" -> Optional.of(Duration.ofSeconds(amount));
            case "m", "min", "minute", "minutes" -> Optional.of(Duration.ofMinutes(amount));
            case "h", "hour", "hours" -> Optional.of(Duration.ofHours(amount));
            case "d", "day", "days" -> Optional.of(Duration.ofDays(amount));
            default -> Optional.empty();
        };
    }
}
