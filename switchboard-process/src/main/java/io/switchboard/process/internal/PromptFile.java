package io.switchboard.process.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * A prompt handed to an agent in a file: in a folder of its own that only this user can enter (0700), in a
 * file only this user can read (0600), under the system's temporary folder rather than the working directory
 * (where the agent, or a commit, could pick it up). Deleted, with its folder, when the run is over.
 */
public final class PromptFile implements AutoCloseable {
    private final Path folder;
    private final Path file;

    private PromptFile(Path folder, Path file) {
        this.folder = folder;
        this.file = file;
    }

    public static PromptFile write(String prompt) throws IOException {
        Path folder = Files.createTempDirectory("switchboard-prompt-",
                PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Path file = folder.resolve("prompt.txt");
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            Files.write(file, prompt.getBytes(StandardCharsets.UTF_8));
        } catch (IOException | RuntimeException e) {
            new PromptFile(folder, file).close();
            throw e;
        }
        return new PromptFile(folder, file);
    }

    public Path path() {
        return file;
    }

    @Override
    public void close() {
        try {
            Files.deleteIfExists(file);
            Files.deleteIfExists(folder);
        } catch (IOException e) {
            // The agent may have left files of its own in the folder; the prompt itself is what must go, and
            // it is gone unless deleting the file failed, which leaves the exit hook as the last resort.
            file.toFile().deleteOnExit();
            folder.toFile().deleteOnExit();
        }
    }
}
