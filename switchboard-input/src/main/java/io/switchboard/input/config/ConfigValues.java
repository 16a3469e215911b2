package io.switchboard.input.config;

import io.switchboard.input.InputException;
import io.switchboard.input.yaml.YamlValue;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Typed reads of config values with the range checks the core records make, so that a bad value is reported
 * at its own line and key, quoted as the user wrote it ({@code was -1}, not {@code was -1.0}).
 */
final class ConfigValues {
    private ConfigValues() {
    }

    /** A section or entry that may be absent or written with no value: both mean "use the defaults". */
    static Map<String, YamlValue> entries(YamlValue value, Set<String> allowed) {
        return value == null || value.isNull() ? Map.of() : value.asMap(allowed);
    }

    /** The value under {@code key}, unless it is absent or written with no value. */
    static Optional<YamlValue> optional(Map<String, YamlValue> entries, String key) {
        YamlValue value = entries.get(key);
        return value == null || value.isNull() ? Optional.empty() : Optional.of(value);
    }

    /** One of a fixed set of names, such as an adapter or a mode. */
    static <E extends Enum<E>> E oneOf(YamlValue value, E[] choices, Function<E, String> nameOf, String what) {
        String text = value.asString();
        List<String> names = new ArrayList<>();
        for (E choice : choices) {
            if (nameOf.apply(choice).equals(text)) {
                return choice;
            }
            names.add(nameOf.apply(choice));
        }
        throw value.error("unknown " + what + " '" + text + "'; expected one of " + String.join(", ", names));
    }

    /**
     * A scalar, or a list of scalars, as values that keep their own lines (so an error can point at the item).
     */
    static List<YamlValue> items(YamlValue value) {
        if (value.isScalar()) {
            return List.of(value);
        }
        List<YamlValue> items = value.asList();
        for (YamlValue item : items) {
            item.asString();
        }
        return items;
    }

    /** Names (skills, work types, tags): a scalar or a list of scalars, none blank. */
    static List<String> names(YamlValue value) {
        List<String> names = new ArrayList<>();
        for (YamlValue item : items(value)) {
            String name = item.asString();
            if (name.isBlank()) {
                throw item.error("must not be blank");
            }
            names.add(name);
        }
        return names;
    }

    /**
     * An argument vector. It must be written as a list: a single string would have to be split on spaces,
     * which is how quoting bugs and shell injection start.
     */
    static List<String> argv(YamlValue value, String example) {
        if (!value.isList()) {
            throw value.error("must be a list of arguments such as " + example + ", found " + value.describe()
                    + (value.isScalar() ? " (a single string is never split into arguments)" : ""));
        }
        List<String> arguments = new ArrayList<>();
        for (YamlValue item : value.asList()) {
            String argument = item.asString();
            if (argument.isEmpty()) {
                throw item.error("an argument must not be empty");
            }
            arguments.add(argument);
        }
        return arguments;
    }

    static double zeroOrMore(YamlValue value) {
        double number = value.asDouble();
        if (number < 0) {
            throw value.error("must be zero or more, was " + value.asString());
        }
        return number;
    }

    static double moreThanZero(YamlValue value) {
        double number = value.asDouble();
        if (number <= 0) {
            throw value.error("must be more than zero, was " + value.asString());
        }
        return number;
    }

    static double atLeastOne(YamlValue value) {
        double number = value.asDouble();
        if (number < 1) {
            throw value.error("must be 1 or more, was " + value.asString());
        }
        return number;
    }

    static double between(YamlValue value, double min, double max) {
        double number = value.asDouble();
        if (number < min || number > max) {
            throw value.error("must be between " + plain(min) + " and " + plain(max) + ", was " + value.asString());
        }
        return number;
    }

    static int wholeAtLeast(YamlValue value, int min) {
        int number = value.asInt();
        if (number < min) {
            throw value.error(switch (min) {
                case 0 -> "must be zero or more";
                case 1 -> "must be more than zero";
                default -> "must be " + min + " or more";
            } + ", was " + value.asString());
        }
        return number;
    }

    static int wholeBetween(YamlValue value, int min, int max) {
        int number = value.asInt();
        if (number < min || number > max) {
            throw value.error("must be between " + min + " and " + max + ", was " + value.asString());
        }
        return number;
    }

    static Duration positiveDuration(YamlValue value) {
        Duration duration = value.asDuration();
        if (!duration.isPositive()) {
            throw value.error("must be more than zero, was " + value.asString());
        }
        return duration;
    }

    static boolean bool(YamlValue value) {
        String text = value.isScalar() ? value.asString().toLowerCase(java.util.Locale.ROOT) : "";
        if (!text.equals("true") && !text.equals("false")) {
            throw value.error("must be true or false, was " + value.describe());
        }
        return text.equals("true");
    }

    /** A time limit: more than zero and not absurdly long ({@link YamlValue#asLimit}). */
    static Duration limit(YamlValue value) {
        return value.asLimit();
    }

    static Duration nonNegativeDuration(YamlValue value) {
        Duration duration = value.asDuration();
        if (duration.isNegative()) {
            throw value.error("must not be negative, was " + value.asString());
        }
        return duration;
    }

    /**
     * Builds a core record. The values were checked one by one already; a check the record makes across them
     * still reaches the user as an {@link InputException} at {@code at}, never as a raw exception.
     */
    static <T> T build(YamlValue at, Supplier<T> constructor) {
        try {
            return constructor.get();
        } catch (IllegalArgumentException | NullPointerException e) {
            throw at.error(String.valueOf(e.getMessage()));
        }
    }

    private static String plain(double value) {
        return value == Math.rint(value) ? Long.toString((long) value) : Double.toString(value);
    }
}
