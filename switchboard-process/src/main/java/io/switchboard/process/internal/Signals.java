package io.switchboard.process.internal;

import java.util.Optional;

/**
 * Signal names by number, Linux's numbering (x86, ARM and most others share it for 1–31; macOS does not:
 * its SIGBUS is 10 and SIGUSR1 is 30, so there a name may be wrong and the number is what to trust).
 */
public final class Signals {
    private static final String[] NAMES = {null, "SIGHUP", "SIGINT", "SIGQUIT", "SIGILL", "SIGTRAP", "SIGABRT",
        "SIGBUS", "SIGFPE", "SIGKILL", "SIGUSR1", "SIGSEGV", "SIGUSR2", "SIGPIPE", "SIGALRM", "SIGTERM",
        "SIGSTKFLT", "SIGCHLD", "SIGCONT", "SIGSTOP", "SIGTSTP", "SIGTTIN", "SIGTTOU", "SIGURG", "SIGXCPU",
        "SIGXFSZ", "SIGVTALRM", "SIGPROF", "SIGWINCH", "SIGIO", "SIGPWR", "SIGSYS"};
    private static final int HIGHEST = 64;

    private Signals() {
    }

    /**
     * The signal a Java exit status stands for: the JDK reports a process killed by signal N as 128 + N.
     * A program that exits with such a status by itself cannot be told apart from one killed by N.
     */
    public static Optional<Integer> fromExitStatus(int status) {
        int signal = status - 128;
        return signal >= 1 && signal <= HIGHEST ? Optional.of(signal) : Optional.empty();
    }

    public static String name(int signal) {
        if (signal >= 1 && signal < NAMES.length) {
            return NAMES[signal];
        }
        if (signal >= 34 && signal <= HIGHEST) {
            return "SIGRTMIN+" + (signal - 34);
        }
        return "signal " + signal;
    }
}
