package io.switchboard.core.workflow;

import static io.switchboard.core.Require.require;

import io.switchboard.core.ConfigNamed;
import java.util.Objects;
import java.util.Optional;

/**
 * What a step produces, which is what {@code {{steps.ID.output}}} stands for in later steps' prompts: the agent's
 * final text, the content of one file it writes, or the list of files it changed.
 *
 * @param kind which of the three
 * @param path for {@link Kind#FILE}, the file, relative to the working directory and inside it; {@code null}
 *     otherwise
 */
public record StepOutput(Kind kind, String path) {

    public static final StepOutput TEXT = new StepOutput(Kind.TEXT, null);
    public static final StepOutput CHANGED_FILES = new StepOutput(Kind.CHANGED_FILES, null);

    public enum Kind implements ConfigNamed {
        /** The agent's final text. */
        TEXT("text"),
        /** The content of a file the agent writes. */
        FILE("file"),
        /** The paths of the files the agent changed, one a line. */
        CHANGED_FILES("changed-files");

        private final String configName;

        Kind(String configName) {
            this.configName = configName;
        }

        @Override
        public String configName() {
            return configName;
        }

        public static Optional<Kind> fromConfigName(String name) {
            return ConfigNamed.find(values(), name);
        }
    }

    public StepOutput {
        Objects.requireNonNull(kind, "kind");
        if (kind == Kind.FILE) {
            require(path != null && !path.isBlank(), "a file output needs a path, was '%s'", path);
            require(isInside(path), "a file output must be a relative path inside the working directory, was '%s'",
                    path);
        } else {
            require(path == null, "only a file output has a path, was '%s' for %s", path, kind.configName());
        }
    }

    public static StepOutput file(String path) {
        return new StepOutput(Kind.FILE, path);
    }

    public String describe() {
        return kind == Kind.FILE ? "file " + path : kind.configName();
    }

    /** Relative, with no {@code ..} step out of the directory; written with either separator. */
    private static boolean isInside(String path) {
        if (path.startsWith("/") || path.startsWith("\\") || path.indexOf('\0') >= 0
                || (path.length() >= 2 && path.charAt(1) == ':')) {
            return false;
        }
        for (String segment : path.split("[/\\\\]")) {
            if (segment.equals("..")) {
                return false;
            }
        }
        return true;
    }
}
