package io.switchboard.process.internal;

import java.time.Duration;
import java.util.Locale;

/** Durations, byte counts and dollars as a failure message shows them: {@code 2m30s}, {@code 256 MiB}. */
public final class Units {
    private Units() {
    }

    public static String duration(Duration duration) {
        long millis = duration.toMillis();
        if (millis < 1000 || millis % 1000 != 0) {
            return millis + "ms";
        }
        long seconds = millis / 1000;
        if (seconds < 60) {
            return seconds + "s";
        }
        long minutes = seconds / 60;
        return seconds % 60 == 0 ? minutes + "m" : minutes + "m" + seconds % 60 + "s";
    }

    public static String bytes(long bytes) {
        if (bytes >= 1 << 30 && bytes % (1 << 30) == 0) {
            return bytes / (1 << 30) + " GiB";
        }
        if (bytes >= 1 << 20 && bytes % (1 << 20) == 0) {
            return bytes / (1 << 20) + " MiB";
        }
        if (bytes >= 1 << 10 && bytes % (1 << 10) == 0) {
            return bytes / (1 << 10) + " KiB";
        }
        return bytes + " bytes";
    }

    public static String dollars(double amount) {
        return String.format(Locale.ROOT, "$%.4f", amount).replaceAll("0{1,2}$", "");
    }
}
