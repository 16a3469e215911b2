package io.switchboard.process.adapter;

import java.time.DateTimeException;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalTime;
import java.time.OffsetDateTime;
import java.time.ZoneId;
import java.time.ZonedDateTime;
import java.time.format.DateTimeParseException;
import java.util.Locale;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads when a quota or rate limit resets from what an agent CLI said, in every form the CLIs are known to print:
 *
 * <ul>
 *   <li>an epoch second after "limit reached|" (Claude Code's older usage-limit message);
 *   <li>an ISO-8601 instant after "reset" (Gemini's {@code quotaResetTimeStamp});
 *   <li>a duration after "try again in", "retry in", "reset after", "resets in" ({@code 2 hours}, {@code 1h49m8s},
 *       {@code 12.5s}, {@code 250ms}, {@code less than a minute});
 *   <li>a local time, with an optional date and an optional zone in brackets, after "try again at" or "resets"
 *       ({@code 3:28 PM}, {@code Aug 8th, 2026 12:30 PM}, {@code 5pm (Europe/Brussels)},
 *       {@code Jul 18 at 4am (Europe/Vienna)});
 *   <li>a date after "ends on" or "resets on" ({@code 9/23/2026}, month first).
 * </ul>
 *
 * A local time without a date is the next such time from now; a date without a year is the next such date. A
 * time without a zone is in {@link TimeBase#zone()}, the zone the CLI, running on this machine, prints in.
 */
final class ResetTime {
    private static final int CASE = Pattern.CASE_INSENSITIVE;

    private static final Pattern EPOCH = Pattern.compile("limit reached\\|(\\d{10})(?!\\d)", CASE);

    private static final Pattern ISO_INSTANT = Pattern.compile(
            "reset[a-z_]*[^\\n]{0,40}?(\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(?::\\d{2}(?:\\.\\d+)?)?(?:Z|[+-]\\d{2}:?\\d{2}))",
            CASE);

    private static final String UNIT =
            "(?:ms|milliseconds?|seconds?|secs?|s|minutes?|mins?|m|hours?|hrs?|h|days?|d)(?![a-z])";
    private static final String AMOUNT = "\\d+(?:\\.\\d+)?\\s*" + UNIT;
    private static final Pattern RELATIVE = Pattern.compile(
            "(?:try again|retry|resets?|available again)\\s+(?:in|after)\\s+"
                    + "(less than a minute|" + AMOUNT + "(?:[\\s,]*(?:and\\s+)?" + AMOUNT + ")*)",
            CASE);
    private static final Pattern ONE_AMOUNT = Pattern.compile("(\\d+(?:\\.\\d+)?)\\s*(" + UNIT + ")", CASE);

    private static final String MONTH = "(jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\\.?";
    private static final String TIME = "(\\d{1,2})(?::(\\d{2}))?\\s*([ap])\\.?m\\.?|(\\d{1,2}):(\\d{2})(?!\\s*[ap]\\.?m)";
    private static final Pattern ABSOLUTE = Pattern.compile(
            "(?:try again at|resets? at|resets|available again at)\\s+"
                    + "(?:" + MONTH + "\\s+(\\d{1,2})(?:st|nd|rd|th)?(?:,?\\s+(\\d{4}))?(?:,?\\s+(?:at\\s+)?)?)?"
                    + "(?:" + TIME + ")?"
                    + "(?:\\s*\\(([A-Za-z_]+(?:/[A-Za-z0-9_+-]+)*)\\))?",
            CASE);
    private static final Pattern NUMERIC_DATE = Pattern.compile(
            "(?:ends|resets?) on (\\d{1,2})/(\\d{1,2})/(\\d{4})", CASE);

    private ResetTime() {
    }

    /** The reset the text states, or empty when it states none (or one this class cannot read). */
    static Optional<Instant> in(String text, TimeBase time) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        Matcher epoch = EPOCH.matcher(text);
        if (epoch.find()) {
            return Optional.of(Instant.ofEpochSecond(Long.parseLong(epoch.group(1))));
        }
        Matcher iso = ISO_INSTANT.matcher(text);
        if (iso.find()) {
            Optional<Instant> instant = isoInstant(iso.group(1));
            if (instant.isPresent()) {
                return instant;
            }
        }
        Matcher relative = RELATIVE.matcher(text);
        if (relative.find()) {
            return Optional.of(time.now().plus(duration(relative.group(1))));
        }
        Matcher absolute = ABSOLUTE.matcher(text);
        while (absolute.find()) {
            Optional<Instant> instant = absolute(absolute, time);
            if (instant.isPresent()) {
                return instant;
            }
        }
        Matcher numeric = NUMERIC_DATE.matcher(text);
        if (numeric.find()) {
            try {
                LocalDate date = LocalDate.of(Integer.parseInt(numeric.group(3)), Integer.parseInt(numeric.group(1)),
                        Integer.parseInt(numeric.group(2)));
                return Optional.of(date.atStartOfDay(time.zone()).toInstant());
            } catch (DateTimeException e) {
                return Optional.empty();
            }
        }
        return Optional.empty();
    }

    private static Optional<Instant> isoInstant(String text) {
        try {
            return Optional.of(OffsetDateTime.parse(text.replaceFirst("([+-]\\d{2})(\\d{2})$", "$1:$2"))
                    .toInstant());
        } catch (DateTimeParseException e) {
            try {
                return Optional.of(Instant.parse(text));
            } catch (DateTimeParseException again) {
                return Optional.empty();
            }
        }
    }

    /** A sum of amounts such as {@code 1h49m8s} or {@code 2 hours and 30 minutes}. */
    static Duration duration(String text) {
        if (text.equalsIgnoreCase("less than a minute")) {
            return Duration.ofMinutes(1);
        }
        Duration total = Duration.ZERO;
        Matcher amount = ONE_AMOUNT.matcher(text);
        while (amount.find()) {
            double value = Double.parseDouble(amount.group(1));
            String unit = amount.group(2).toLowerCase(Locale.ROOT);
            total = total.plusNanos(Math.round(value * nanosPer(unit)));
        }
        return total;
    }

    private static double nanosPer(String unit) {
        if (unit.startsWith("ms") || unit.startsWith("milli")) {
            return 1e6;
        }
        return switch (unit.charAt(0)) {
            case 's' -> 1e9;
            case 'm' -> 60e9;
            case 'h' -> 3600e9;
            default -> 86_400e9; // d, day, days
        };
    }

    private static Optional<Instant> absolute(Matcher match, TimeBase time) {
        String month = match.group(1);
        boolean hasTime = match.group(4) != null || match.group(7) != null;
        if (month == null && !hasTime) {
            return Optional.empty();
        }
        ZoneId zone = zone(match.group(9), time.zone());
        ZonedDateTime now = time.now().atZone(zone);
        LocalTime clock = LocalTime.MIDNIGHT;
        if (match.group(4) != null) {
            int hour = Integer.parseInt(match.group(4)) % 12;
            int minute = match.group(5) == null ? 0 : Integer.parseInt(match.group(5));
            boolean pm = match.group(6).equalsIgnoreCase("p");
            if (minute > 59) {
                return Optional.empty();
            }
            clock = LocalTime.of(pm ? hour + 12 : hour, minute);
        } else if (match.group(7) != null) {
            int hour = Integer.parseInt(match.group(7));
            int minute = Integer.parseInt(match.group(8));
            if (hour > 23 || minute > 59) {
                return Optional.empty();
            }
            clock = LocalTime.of(hour, minute);
        }
        try {
            if (month != null) {
                int monthNumber = monthNumber(month);
                int day = Integer.parseInt(match.group(2));
                boolean yearGiven = match.group(3) != null;
                int year = yearGiven ? Integer.parseInt(match.group(3)) : now.getYear();
                ZonedDateTime reset = LocalDate.of(year, monthNumber, day).atTime(clock).atZone(zone);
                if (!yearGiven && reset.isBefore(now)) {
                    reset = reset.plusYears(1);
                }
                return Optional.of(reset.toInstant());
            }
            ZonedDateTime reset = now.toLocalDate().atTime(clock).atZone(zone);
            if (!reset.isAfter(now)) {
                reset = reset.plusDays(1);
            }
            return Optional.of(reset.toInstant());
        } catch (DateTimeException e) {
            return Optional.empty();
        }
    }

    private static int monthNumber(String month) {
        String prefix = month.substring(0, 3).toLowerCase(Locale.ROOT);
        return "janfebmaraprmayjunjulaugsepoctnovdec".indexOf(prefix) / 3 + 1;
    }

    private static ZoneId zone(String id, ZoneId fallback) {
        if (id == null) {
            return fallback;
        }
        try {
            return ZoneId.of(id);
        } catch (DateTimeException e) {
            return fallback;
        }
    }
}
