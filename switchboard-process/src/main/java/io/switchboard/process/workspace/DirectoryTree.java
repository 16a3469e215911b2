package io.switchboard.process.workspace;

import java.io.File;
import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * Copying, comparing and deleting folder trees. Symbolic links are copied and compared as links, never
 * followed; files that are neither regular files nor links (pipes, sockets) are left out. Folders count only
 * through what they hold, as in git: an empty folder is no change.
 */
final class DirectoryTree {
    private DirectoryTree() {
    }

    /**
     * Copies {@code source} to {@code target} (which must not exist), leaving out the paths in {@code excluded}
     * and everything under them. Files keep their permissions and modification times.
     */
    static void copy(Path source, Path target, Set<Path> excluded) throws IOException {
        Files.walkFileTree(source, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                if (excluded.contains(dir)) {
                    return FileVisitResult.SKIP_SUBTREE;
                }
                Files.createDirectory(target.resolve(source.relativize(dir)));
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (excluded.contains(file)) {
                    return FileVisitResult.CONTINUE;
                }
                Path to = target.resolve(source.relativize(file));
                if (attrs.isSymbolicLink()) {
                    Files.createSymbolicLink(to, Files.readSymbolicLink(file));
                } else if (attrs.isRegularFile()) {
                    Files.copy(file, to, StandardCopyOption.COPY_ATTRIBUTES, LinkOption.NOFOLLOW_LINKS);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                // Set last, so that a read-only folder is only read-only once its contents are in.
                PosixFileAttributeView from = Files.getFileAttributeView(dir, PosixFileAttributeView.class);
                if (from != null) {
                    Files.setPosixFilePermissions(target.resolve(source.relativize(dir)),
                            from.readAttributes().permissions());
                }
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /** Deletes {@code root} and everything under it; nothing when it does not exist. */
    static void delete(Path root) throws IOException {
        if (!Files.exists(root, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) throws IOException {
                // An agent may have left a folder read-only; its contents could not be deleted.
                PosixFileAttributeView view = Files.getFileAttributeView(dir, PosixFileAttributeView.class,
                        LinkOption.NOFOLLOW_LINKS);
                if (view != null) {
                    Set<PosixFilePermission> permissions = view.readAttributes().permissions();
                    if (!permissions.contains(PosixFilePermission.OWNER_WRITE)
                            || !permissions.contains(PosixFilePermission.OWNER_EXECUTE)) {
                        permissions.add(PosixFilePermission.OWNER_WRITE);
                        permissions.add(PosixFilePermission.OWNER_EXECUTE);
                        view.setPermissions(permissions);
                    }
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                Files.deleteIfExists(file);
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException failure) throws IOException {
                if (failure instanceof NoSuchFileException) {
                    return FileVisitResult.CONTINUE;
                }
                throw failure;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException failure) throws IOException {
                if (failure != null) {
                    throw failure;
                }
                Files.deleteIfExists(dir);
                return FileVisitResult.CONTINUE;
            }
        });
    }

    /**
     * How {@code changed} differs from {@code original}, by path: files only in it are added, files only in the
     * original deleted, files in both modified when their bytes, their link target or whether they are
     * executable differ, and of another type when one is a link and the other not. The paths in
     * {@code excludedNames} (top-level names, such as {@code .git}) are left out of both.
     */
    static List<ChangedFile> compare(Path original, Path changed, Set<String> excludedNames, Set<Path> excluded)
            throws IOException {
        Map<String, Path> before = files(original, excludedNames, excluded);
        Map<String, Path> after = files(changed, excludedNames, excluded);
        Set<String> paths = new TreeSet<>(before.keySet());
        paths.addAll(after.keySet());
        List<ChangedFile> changes = new ArrayList<>();
        for (String path : paths) {
            Path was = before.get(path);
            Path is = after.get(path);
            if (was == null) {
                changes.add(new ChangedFile(path, ChangedFile.Change.ADDED));
            } else if (is == null) {
                changes.add(new ChangedFile(path, ChangedFile.Change.DELETED));
            } else if (Files.isSymbolicLink(was) != Files.isSymbolicLink(is)) {
                changes.add(new ChangedFile(path, ChangedFile.Change.TYPE_CHANGED));
            } else if (differ(was, is)) {
                changes.add(new ChangedFile(path, ChangedFile.Change.MODIFIED));
            }
        }
        return changes;
    }

    private static boolean differ(Path was, Path is) throws IOException {
        if (Files.isSymbolicLink(was)) {
            return !Files.readSymbolicLink(was).equals(Files.readSymbolicLink(is));
        }
        return Files.isExecutable(was) != Files.isExecutable(is) || Files.mismatch(was, is) != -1L;
    }

    /** Every regular file and link under {@code root}, by its path relative to it with {@code /} separators. */
    private static Map<String, Path> files(Path root, Set<String> excludedNames, Set<Path> excluded)
            throws IOException {
        Map<String, Path> files = new TreeMap<>();
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes attrs) {
                return skipped(dir) ? FileVisitResult.SKIP_SUBTREE : FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
                if (!skipped(file) && (attrs.isRegularFile() || attrs.isSymbolicLink())) {
                    files.put(root.relativize(file).toString().replace(File.separatorChar, '/'), file);
                }
                return FileVisitResult.CONTINUE;
            }

            private boolean skipped(Path path) {
                return excluded.contains(path) || (path.getParent() != null && path.getParent().equals(root)
                        && excludedNames.contains(path.getFileName().toString()));
            }
        });
        return files;
    }
}
