package io.switchboard.core.port;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * What a workflow reads of the working directory a step ran in: the files a step changed, and a file a step
 * wrote. The local implementation uses {@code git status} in a git repository and compares file contents
 * otherwise.
 *
 * <p>Failures to read (a directory that is gone, a git that fails) are {@link java.io.UncheckedIOException}s
 * with a message that names the directory.
 */
public interface WorkingTree {

    /**
     * What the directory holds now, enough to tell later which files changed; opaque, to be stored and handed
     * back to {@link #changedSince}. Switchboard's own {@code .switchboard/} folder is left out.
     */
    String snapshot(Path directory);

    /**
     * The files changed (added, modified, deleted) since {@code snapshot} was taken, as paths relative to the
     * directory with {@code /} between folders, sorted.
     */
    List<String> changedSince(Path directory, String snapshot);

    /** The content of a file, as text; empty when there is no such regular file. */
    Optional<String> read(Path directory, String relativePath);
}
