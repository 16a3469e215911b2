package io.switchboard.core.agent;

import java.util.Locale;

/**
 * One spelling for skill, capability and work-type names, so that {@code Code Review}, {@code code-review}
 * and {@code code_review} are the same thing wherever they are compared.
 */
public final class Skills {
    private Skills() {
    }

    public static String normalize(String name) {
        if (name == null) {
            return "";
        }
        if (isNormalized(name)) {
            // The router normalizes names for every candidate of every decision; most already are.
            return name;
        }
        String lower = name.strip().toLowerCase(Locale.ROOT);
        StringBuilder out = new StringBuilder(lower.length());
        boolean dash = false;
        for (int i = 0; i < lower.length(); i++) {
            char c = lower.charAt(i);
            if (c == '_' || c == '-' || Character.isWhitespace(c)) {
                dash = !out.isEmpty();
            } else {
                if (dash) {
                    out.append('-');
                    dash = false;
                }
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * Whether {@link #normalize} would return the name unchanged: printable ASCII without capitals, spaces or
     * underscores, and dashes only singly between other characters.
     */
    private static boolean isNormalized(String name) {
        int length = name.length();
        for (int i = 0; i < length; i++) {
            char c = name.charAt(i);
            if (c <= ' ' || c >= 0x7F || c == '_' || (c >= 'A' && c <= 'Z')) {
                return false;
            }
            if (c == '-' && (i == 0 || i == length - 1 || name.charAt(i - 1) == '-')) {
                return false;
            }
        }
        return true;
    }
}
