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
}
