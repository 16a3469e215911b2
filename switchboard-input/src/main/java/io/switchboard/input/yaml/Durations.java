package io.switchboard.input.yaml;

import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;

/** Durations as people write them: {@code 500ms}, {@code 30s}, {@code 15m}, {@code 4h}, {@code 14d}, or ISO-8601. */
public final class Durations {
    private Durations() {
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
