package io.switchboard.core.config;

import java.math.BigDecimal;

/** Numbers as a person would write them in a config summary: {@code 40}, not {@code 40.0}. */
final class Numbers {
    private Numbers() {
    }

    static String plain(double value) {
        return BigDecimal.valueOf(value).stripTrailingZeros().toPlainString();
    }

    static String dollars(double value) {
        return String.format(java.util.Locale.ROOT, "$%.2f", value);
    }
}
