package io.switchboard.input;

/**
 * Bad user input: a config or task file that cannot be read as written. The message names the file, the
 * line and the key, and says what was expected; it is meant for the user as it is, without a stack trace.
 */
public final class InputException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String file;
    private final int line;
    private final String key;
    private final String problem;

    /**
     * @param file the file as the user named it
     * @param line 1-based line, or 0 when the problem is the file as a whole
     * @param key the dotted key path ({@code agents.codex.cost_per_1k_tokens}), or {@code null}
     * @param problem what is wrong and what was expected
     */
    public InputException(String file, int line, String key, String problem) {
        super(format(file, line, key, problem));
        this.file = file;
        this.line = line;
        this.key = key;
        this.problem = problem;
    }

    public String file() {
        return file;
    }

    public int line() {
        return line;
    }

    public String key() {
        return key;
    }

    public String problem() {
        return problem;
    }

    private static String format(String file, int line, String key, String problem) {
        StringBuilder text = new StringBuilder(file);
        if (line > 0) {
            text.append(':').append(line);
        }
        text.append(": ");
        if (key != null && !key.isEmpty()) {
            text.append(key).append(": ");
        }
        return text.append(problem).toString();
    }
}
