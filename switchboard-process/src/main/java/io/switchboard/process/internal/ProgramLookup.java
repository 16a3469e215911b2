package io.switchboard.process.internal;

import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Map;

/**
 * Finds the program an argv names, the way a shell would but against the agent's own {@code PATH} (the one
 * in the run's environment, not the runner's): a name holding a {@code /} is a path (relative ones start at
 * the working directory); any other name is looked up in each {@code PATH} folder in turn. Empty {@code PATH}
 * entries, which a shell reads as the current folder, are skipped.
 *
 * @param program the absolute path to run, when found
 * @param failure why it cannot be run, else {@code null}
 */
public record ProgramLookup(Path program, FailureInfo failure) {

    public boolean found() {
        return failure == null;
    }

    public static ProgramLookup resolve(String name, Map<String, String> environment, Path workingDirectory) {
        try {
            if (name.contains("/")) {
                return atPath(name, workingDirectory.resolve(name).toAbsolutePath());
            }
            return onPath(name, environment.get("PATH"), workingDirectory);
        } catch (InvalidPathException e) {
            return failed(FailureType.BINARY_MISSING, "program '" + name + "' is not a valid path: " + e.getReason());
        }
    }

    private static ProgramLookup atPath(String name, Path path) {
        if (!Files.exists(path)) {
            return failed(FailureType.BINARY_MISSING, "program " + name + " not found (no file " + path + ")");
        }
        if (Files.isDirectory(path)) {
            return failed(FailureType.NOT_EXECUTABLE, "program " + name + " is a directory (" + path + ")");
        }
        if (!Files.isExecutable(path)) {
            return failed(FailureType.NOT_EXECUTABLE, "program " + name + " is not executable (" + path + ")");
        }
        return new ProgramLookup(path, null);
    }

    private static ProgramLookup onPath(String name, String path, Path workingDirectory) {
        if (name.isEmpty()) {
            return failed(FailureType.BINARY_MISSING, "the command names no program (its first word is empty)");
        }
        if (path == null || path.isBlank()) {
            return failed(FailureType.BINARY_MISSING,
                    "program '" + name + "' not found: the agent's environment has no PATH");
        }
        Path notExecutable = null;
        for (String folder : path.split(":")) {
            if (folder.isEmpty()) {
                continue;
            }
            Path candidate = workingDirectory.resolve(folder).resolve(name).toAbsolutePath();
            if (Files.isRegularFile(candidate)) {
                if (Files.isExecutable(candidate)) {
                    return new ProgramLookup(candidate, null);
                }
                notExecutable = notExecutable == null ? candidate : notExecutable;
            }
        }
        if (notExecutable != null) {
            return failed(FailureType.NOT_EXECUTABLE,
                    "program '" + name + "' found at " + notExecutable + " but it is not executable");
        }
        return failed(FailureType.BINARY_MISSING, "program '" + name + "' not found on PATH " + path);
    }

    private static ProgramLookup failed(FailureType type, String message) {
        return new ProgramLookup(null, FailureInfo.of(type, message));
    }
}
