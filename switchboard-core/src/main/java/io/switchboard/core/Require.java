package io.switchboard.core;

/** Argument checks that quote the bad value, so an error says what was wrong and what was given. */
public final class Require {
    private Require() {
    }

    /**
     * @throws IllegalArgumentException with the formatted message when {@code condition} is false
     */
    public static void require(boolean condition, String format, Object... args) {
        if (!condition) {
            throw new IllegalArgumentException(String.format(format, args));
        }
    }
}
