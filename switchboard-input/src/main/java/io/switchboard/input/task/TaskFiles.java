package io.switchboard.input.task;

import io.switchboard.core.task.Task;
import io.switchboard.input.InputException;
import io.switchboard.input.SourceText;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Task files on disk: reading one, whatever its kind, and finding a task by id under the task folders.
 *
 * <p>The kind of a file is decided by its name, then its first line:
 * <ul>
 *   <li>{@code .yaml}, {@code .yml}, {@code .json}: a YAML or JSON task, or a {@code tasks:} list;
 *   <li>{@code .md}, {@code .markdown} whose first line is {@code ---}: a plan file (front matter and
 *       {@code <task>} blocks), one task per block;
 *   <li>any other {@code .md}, {@code .markdown}: a markdown task file ({@code # TASK-028: Title}), one task.
 * </ul>
 * Files are read as strict UTF-8 ({@link SourceText}). Every problem is an {@link InputException} naming the
 * file and line.
 */
public final class TaskFiles {
    /** Where tasks live, relative to the project: {@code tasks/} and {@code .switchboard/tasks/}. */
    public static final List<Path> DEFAULT_FOLDERS = List.of(Path.of("tasks"), Path.of(".switchboard", "tasks"));

    private enum Kind { YAML, MARKDOWN }

    private TaskFiles() {
    }

    /** {@link #DEFAULT_FOLDERS} under a project directory. */
    public static List<Path> defaultFolders(Path projectRoot) {
        return DEFAULT_FOLDERS.stream().map(projectRoot::resolve).toList();
    }

    /**
     * Reads every task in a file, in the order the file gives them.
     *
     * @param displayName the file as the user named it, for errors and {@code TaskSource}
     * @throws InputException when the file cannot be read or is not a valid task file of its kind
     */
    public static List<Task> read(Path file, String displayName) {
        Objects.requireNonNull(file, "file");
        Objects.requireNonNull(displayName, "displayName");
        Kind kind = kindOf(file).orElseThrow(() -> new InputException(displayName, 0, null,
                "cannot tell what kind of task file this is from its name; task files end in .md, .yaml, .yml "
                        + "or .json"));
        String text = SourceText.read(file, displayName);
        return switch (kind) {
            case YAML -> YamlTaskReader.read(displayName, text);
            case MARKDOWN -> PlanFileReader.startsWithFrontMatter(text)
                    ? PlanFileReader.read(displayName, text, stem(file))
                    : List.of(MarkdownTaskReader.read(displayName, text));
        };
    }

    /**
     * Finds the task with this id (ignoring case) in the task files under the folders, searched recursively;
     * hidden files and folders are skipped, and folders that do not exist are skipped too.
     *
     * <p>Every task file is read, so that two files claiming one id are caught. A file that cannot be read
     * does not stop the search, unless its name starts with the id (as in {@code TASK-028-add-limiter.md}):
     * that is the file the user means, so its error is the answer.
     *
     * @throws InputException when no file or several files hold the id, or a folder cannot be listed
     */
    public static Task findById(String id, List<Path> folders) {
        Objects.requireNonNull(id, "id");
        String searched = String.join(", ", folders.stream().map(Path::toString).toList());
        if (id.isBlank()) {
            throw new InputException(searched, 0, null, "no task id given");
        }
        List<Path> files = new ArrayList<>();
        boolean anyFolder = false;
        for (Path folder : folders) {
            if (Files.isDirectory(folder)) {
                anyFolder = true;
                files.addAll(taskFilesUnder(folder));
            }
        }
        if (!anyFolder) {
            throw new TaskNotFoundException(searched, "no task with id '" + id + "': none of the task folders exists");
        }

        List<Task> found = new ArrayList<>();
        InputException firstProblem = null;
        int unreadable = 0;
        for (Path file : files) {
            List<Task> tasks;
            try {
                tasks = read(file, file.toString());
            } catch (InputException e) {
                if (nameStartsWithId(file, id)) {
                    throw e;
                }
                unreadable++;
                firstProblem = firstProblem == null ? e : firstProblem;
                continue;
            }
            tasks.stream().filter(task -> task.id().equalsIgnoreCase(id)).forEach(found::add);
        }
        if (found.size() > 1) {
            Task first = found.get(0);
            List<String> others = found.subList(1, found.size()).stream().map(task -> task.source().toString()).toList();
            throw new InputException(first.source().location(), first.source().line(), null, "task id '" + id
                    + "' is claimed here and by " + String.join(", ", others) + "; ids must be unique");
        }
        if (found.isEmpty()) {
            String problems = unreadable == 0 ? "" : "; " + unreadable + " file" + (unreadable == 1 ? "" : "s")
                    + " could not be read, the first: " + firstProblem.getMessage();
            throw new TaskNotFoundException(searched, "no task with id '" + id + "' among " + files.size()
                    + " task file" + (files.size() == 1 ? "" : "s") + problems);
        }
        return found.get(0);
    }

    /**
     * Reads every task in the task files at these places: a folder is searched recursively (hidden files and
     * folders skipped, as {@link #findById} does), a file is read as it is, a place that does not exist is skipped.
     * Unlike {@link #findById}, a file that cannot be read is an error: a plan read without one of its files would
     * run without its tasks.
     *
     * @return the tasks, file by file in path order, each file's in the order it gives them
     * @throws InputException when a file cannot be read or is not a valid task file, or two tasks share an id
     *     (ignoring case)
     */
    public static List<Task> readAll(List<Path> places) {
        // A file under two of the places is read once, named as the first place found it.
        Map<Path, Path> files = new LinkedHashMap<>();
        for (Path place : places) {
            List<Path> found = Files.isDirectory(place) ? taskFilesUnder(place)
                    : Files.isRegularFile(place) ? List.of(place) : List.of();
            found.forEach(file -> files.putIfAbsent(file.toAbsolutePath().normalize(), file));
        }
        List<Task> tasks = new ArrayList<>();
        Map<String, Task> byId = new HashMap<>();
        for (Path file : files.values()) {
            for (Task task : read(file, file.toString())) {
                Task other = byId.putIfAbsent(task.id().toLowerCase(Locale.ROOT), task);
                if (other != null) {
                    throw new InputException(task.source().location(), task.source().line(), null, "task id '"
                            + task.id() + "' is claimed here and by " + other.source() + "; ids must be unique");
                }
                tasks.add(task);
            }
        }
        return tasks;
    }

    private static List<Path> taskFilesUnder(Path folder) {
        try (Stream<Path> walk = Files.walk(folder)) {
            return walk
                    .filter(path -> !isHiddenBelow(folder, path))
                    .filter(Files::isRegularFile)
                    .filter(path -> kindOf(path).isPresent())
                    .sorted()
                    .toList();
        } catch (IOException | UncheckedIOException e) {
            String reason = e instanceof UncheckedIOException unchecked ? unchecked.getCause().toString() : e.toString();
            throw new InputException(folder.toString(), 0, null, "cannot list the task folder: " + reason);
        }
    }

    private static boolean isHiddenBelow(Path folder, Path path) {
        for (Path part : folder.relativize(path)) {
            if (part.toString().startsWith(".")) {
                return true;
            }
        }
        return false;
    }

    private static boolean nameStartsWithId(Path file, String id) {
        String name = file.getFileName().toString();
        if (!name.regionMatches(true, 0, id, 0, id.length())) {
            return false;
        }
        return name.length() == id.length() || ".-_ ".indexOf(name.charAt(id.length())) >= 0;
    }

    private static Optional<Kind> kindOf(Path file) {
        Path name = file.getFileName();
        String lower = name == null ? "" : name.toString().toLowerCase(Locale.ROOT);
        if (lower.endsWith(".yaml") || lower.endsWith(".yml") || lower.endsWith(".json")) {
            return Optional.of(Kind.YAML);
        }
        if (lower.endsWith(".md") || lower.endsWith(".markdown")) {
            return Optional.of(Kind.MARKDOWN);
        }
        return Optional.empty();
    }

    private static String stem(Path file) {
        String name = file.getFileName().toString();
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }
}
