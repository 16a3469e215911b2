package io.switchboard.input.task;

import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskDraft;
import io.switchboard.core.task.TaskSource;
import io.switchboard.core.task.TraitInference;
import io.switchboard.input.InputException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

/** A task from {@code --prompt TEXT}: the text is the prompt and every trait is inferred. */
public final class PromptTask {
    /** Hex digits of the prompt's SHA-256 in the id: enough to keep distinct prompts apart, short enough to type. */
    static final int ID_HASH_LENGTH = 10;

    private PromptTask() {
    }

    /**
     * @return a task with id {@code prompt-<first 10 hex digits of the SHA-256 of the stripped text>} (the same
     *     text always gives the same id), the text's first line as title (at most 80 characters) and the text
     *     as prompt, from {@link TaskSource#COMMAND_LINE}
     * @throws InputException when the text is blank or contains a NUL character
     */
    public static Task from(String text) {
        Objects.requireNonNull(text, "text");
        int nul = text.indexOf('\0');
        if (nul >= 0) {
            throw new InputException(TaskSource.COMMAND_LINE.location(), 0, null, "the prompt contains a NUL "
                    + "character (at character " + (nul + 1) + "); agents receive text, so remove it");
        }
        if (text.isBlank()) {
            throw new InputException(TaskSource.COMMAND_LINE.location(), 0, null, "the prompt is empty");
        }
        String id = "prompt-" + sha256Hex(text.strip()).substring(0, ID_HASH_LENGTH);
        return TraitInference.complete(TaskDraft.of(id, Titles.firstLine(text), text, TaskSource.COMMAND_LINE));
    }

    private static String sha256Hex(String text) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }
}
