package io.switchboard.process.workspace;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.switchboard.core.port.WorkingTree;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * The working directory as a workflow sees it, on the local disk.
 *
 * <p>In a git repository a snapshot holds the commit checked out and a content hash of every file {@code git
 * status} lists (modified, added, deleted, untracked; ignored files are left out); the files changed since are
 * those whose content differs from then among the files listed then or now, and the files of the commits made
 * since ({@code git diff --name-only}). So a snapshot stays small in a large repository, and an agent that commits
 * its work is seen too. Outside git a snapshot hashes every file under the directory, and the files changed are
 * those added, deleted or whose content differs. Either way {@code .git} and Switchboard's own {@code .switchboard}
 * are left out, and paths are relative to the directory, with {@code /} between folders.
 *
 * <p>Snapshots are JSON: {@code {"kind": "git", "head": SHA or null, "files": {path: hash or "deleted"}}} or
 * {@code {"kind": "tree", "files": {path: hash}}}; a hash is the SHA-256 of the content, or {@code link:TARGET}
 * for a symbolic link. Thread-safe.
 */
public final class LocalWorkingTree implements WorkingTree {
    private static final Set<String> LEFT_OUT = Set.of(".git", ".switchboard");
    private static final String DELETED = "deleted";
    private static final ObjectMapper MAPPER = new ObjectMapper();
    /** The most of a file {@link #read} reads; a workflow keeps far less of it. */
    static final int MAX_READ_BYTES = 8 * 1024 * 1024;

    private final Git git;

    public LocalWorkingTree(WorkspaceSettings settings) {
        this.git = new Git(settings.gitProgram(), settings.gitTimeout());
    }

    @Override
    public String snapshot(Path directory) {
        Path folder = folder(directory);
        ObjectNode snapshot = MAPPER.createObjectNode();
        Optional<Path> top = topLevel(folder);
        Map<String, String> files;
        if (top.isPresent()) {
            snapshot.put("kind", "git");
            snapshot.put("head", head(folder).orElse(null));
            files = new TreeMap<>();
            for (String path : dirty(folder, top.get())) {
                files.put(path, hash(folder.resolve(path)));
            }
        } else {
            snapshot.put("kind", "tree");
            files = tree(folder);
        }
        ObjectNode listed = snapshot.putObject("files");
        files.forEach(listed::put);
        return snapshot.toString();
    }

    @Override
    public List<String> changedSince(Path directory, String snapshot) {
        Path folder = folder(directory);
        JsonNode before = parse(snapshot);
        Map<String, String> then = new TreeMap<>();
        before.get("files").properties().forEach(entry -> then.put(entry.getKey(), entry.getValue().asText()));
        TreeSet<String> changed = new TreeSet<>();
        if (before.get("kind").asText().equals("git")) {
            Path top = topLevel(folder).orElseThrow(() -> failure(folder + " is no longer in a git repository", null));
            Set<String> candidates = new TreeSet<>(then.keySet());
            candidates.addAll(dirty(folder, top));
            for (String path : candidates) {
                String now = hash(folder.resolve(path));
                // A file not listed then was as committed; listed now, it changed.
                if (!now.equals(then.get(path))) {
                    changed.add(path);
                }
            }
            String headThen = before.get("head").isNull() ? null : before.get("head").asText();
            Optional<String> headNow = head(folder);
            if (headThen != null && headNow.isPresent() && !headNow.get().equals(headThen)) {
                changed.addAll(committed(folder, top, headThen, headNow.get()));
            } else if (headThen == null && headNow.isPresent()) {
                changed.addAll(committed(folder, top, null, headNow.get()));
            }
        } else {
            Map<String, String> now = tree(folder);
            Set<String> paths = new TreeSet<>(then.keySet());
            paths.addAll(now.keySet());
            for (String path : paths) {
                if (!String.valueOf(now.get(path)).equals(String.valueOf(then.get(path)))) {
                    changed.add(path);
                }
            }
        }
        return List.copyOf(changed);
    }

    /** The file's text, its first {@value #MAX_READ_BYTES} bytes when it is longer. */
    @Override
    public Optional<String> read(Path directory, String relativePath) {
        Path folder = folder(directory);
        Path file = folder.resolve(relativePath).normalize();
        if (!file.startsWith(folder) || !Files.isRegularFile(file)) {
            return Optional.empty();
        }
        try (InputStream in = Files.newInputStream(file)) {
            byte[] bytes = in.readNBytes(MAX_READ_BYTES);
            return Optional.of(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPLACE)
                    .onUnmappableCharacter(CodingErrorAction.REPLACE).decode(java.nio.ByteBuffer.wrap(bytes))
                    .toString());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private static Path folder(Path directory) {
        Path folder = directory.toAbsolutePath().normalize();
        if (!Files.isDirectory(folder)) {
            throw failure("the working directory " + folder + " is not a folder", null);
        }
        return folder;
    }

    private Optional<Path> topLevel(Path folder) {
        try {
            return GitWorktrees.topLevel(git, folder);
        } catch (WorkspaceException e) {
            throw failure(e.getMessage(), e);
        }
    }

    private Optional<String> head(Path folder) {
        Git.Result result = run(() -> git.attempt(folder, "rev-parse", "-q", "--verify", "HEAD^{commit}"));
        return result.ok() ? Optional.of(result.line()) : Optional.empty();
    }

    /** The paths {@code git status} lists under the folder, relative to it. */
    private Set<String> dirty(Path folder, Path top) {
        String[] fields = run(() -> git.run(folder, "status", "--porcelain=v1", "-z", "--untracked-files=all",
                "--no-renames", "--", ".")).stdout().split("\0");
        Set<String> paths = new TreeSet<>();
        for (String entry : fields) {
            if (entry.length() >= 4) {
                inFolder(folder, top, entry.substring(3)).ifPresent(paths::add);
            }
        }
        return paths;
    }

    /** The paths the commits between two heads touched, under the folder, relative to it. */
    private Set<String> committed(Path folder, Path top, String from, String to) {
        Git.Result result = from == null
                ? run(() -> git.run(folder, "ls-tree", "-r", "-z", "--name-only", "--full-tree", to))
                : run(() -> git.run(folder, "diff", "--name-only", "-z", "--no-renames", from, to));
        Set<String> paths = new TreeSet<>();
        for (String path : result.stdout().split("\0")) {
            if (!path.isEmpty()) {
                inFolder(folder, top, path).ifPresent(paths::add);
            }
        }
        return paths;
    }

    /** A path git printed (relative to the top of the checkout) as relative to the folder, unless left out. */
    private static Optional<String> inFolder(Path folder, Path top, String gitPath) {
        Path file = top.resolve(gitPath).normalize();
        if (!file.startsWith(realPath(folder))) {
            return Optional.empty();
        }
        String relative = realPath(folder).relativize(file).toString().replace(File.separatorChar, '/');
        String first = relative.contains("/") ? relative.substring(0, relative.indexOf('/')) : relative;
        return LEFT_OUT.contains(first) ? Optional.empty() : Optional.of(relative);
    }

    private static Path realPath(Path path) {
        try {
            return path.toRealPath();
        } catch (IOException e) {
            return path;
        }
    }

    /** Every file under the folder but those left out, with its hash. */
    private static Map<String, String> tree(Path folder) {
        Map<String, String> files = new TreeMap<>();
        try {
            Files.walkFileTree(folder, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                    return dir.getParent() != null && dir.getParent().equals(folder)
                            && LEFT_OUT.contains(dir.getFileName().toString())
                            ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                    if (attrs.isRegularFile() || attrs.isSymbolicLink()) {
                        files.put(folder.relativize(file).toString().replace(File.separatorChar, '/'), hash(file));
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            throw failure("cannot list the files of " + folder + ": " + e.getMessage(), e);
        }
        return files;
    }

    /** The SHA-256 of a file's content, {@code link:TARGET} for a link, or {@value #DELETED} when it is gone. */
    private static String hash(Path file) {
        try {
            if (Files.isSymbolicLink(file)) {
                return "link:" + Files.readSymbolicLink(file);
            }
            if (!Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
                return DELETED;
            }
            if (!Files.isRegularFile(file)) {
                return "other";
            }
            MessageDigest digest = MessageDigest.getInstance("SHA-256");
            try (InputStream in = Files.newInputStream(file)) {
                byte[] buffer = new byte[64 * 1024];
                for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                    digest.update(buffer, 0, read);
                }
            }
            return HexFormat.of().formatHex(digest.digest());
        } catch (IOException e) {
            throw failure("cannot read " + file + ": " + e.getMessage(), e);
        } catch (NoSuchAlgorithmException e) {
            // Every Java platform is required to provide SHA-256.
            throw new IllegalStateException(e);
        }
    }

    private static JsonNode parse(String snapshot) {
        try {
            JsonNode node = MAPPER.readTree(snapshot);
            if (node == null || !node.has("kind") || !node.has("files")) {
                throw new IllegalArgumentException("not a snapshot of a working directory: " + snapshot);
            }
            return node;
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not a snapshot of a working directory: " + e.getOriginalMessage(),
                    e);
        }
    }

    private static Git.Result run(java.util.function.Supplier<Git.Result> command) {
        try {
            return command.get();
        } catch (GitException e) {
            throw failure(e.getMessage(), e);
        }
    }

    private static UncheckedIOException failure(String message, Exception cause) {
        return new UncheckedIOException(message,
                cause instanceof IOException io ? io : new IOException(message, cause));
    }
}
