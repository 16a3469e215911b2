package io.switchboard.core.execution;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a command written as one line (a task's verify command) into argv words, the way a shell would split
 * plain words and quotes, and nothing more: no variables, globs, pipes or {@code &&}. A command that needs
 * a shell says so itself, for example {@code sh -c "make && make test"}.
 */
public final class CommandWords {
    private CommandWords() {
    }

    /**
     * @throws IllegalArgumentException when the line is blank, has an unclosed quote, or uses a shell operator
     *     outside quotes
     */
    public static List<String> split(String line) {
        List<String> words = new ArrayList<>();
        StringBuilder word = new StringBuilder();
        boolean inWord = false;
        char quote = 0;
        for (int i = 0; i < line.length(); i++) {
            char c = line.charAt(i);
            if (quote != 0) {
                if (c == quote) {
                    quote = 0;
                } else if (c == '\\' && quote == '"' && i + 1 < line.length()
                        && (line.charAt(i + 1) == '"' || line.charAt(i + 1) == '\\')) {
                    word.append(line.charAt(++i));
                } else {
                    word.append(c);
                }
            } else if (c == '\'' || c == '"') {
                quote = c;
                inWord = true;
            } else if (c == '\\' && i + 1 < line.length()) {
                word.append(line.charAt(++i));
                inWord = true;
            } else if (Character.isWhitespace(c)) {
                if (inWord) {
                    words.add(word.toString());
                    word.setLength(0);
                    inWord = false;
                }
            } else if ("|&;<>`$(){}".indexOf(c) >= 0) {
                throw new IllegalArgumentException("'" + c + "' in the command '" + line + "' needs a shell, which "
                        + "is never used implicitly; write sh -c '...' if that is what you mean");
            } else {
                word.append(c);
                inWord = true;
            }
        }
        if (quote != 0) {
            throw new IllegalArgumentException("unclosed " + quote + " in the command '" + line + "'");
        }
        if (inWord) {
            words.add(word.toString());
        }
        if (words.isEmpty()) {
            throw new IllegalArgumentException("the command is empty");
        }
        return words;
    }
}
