package io.switchboard.process.workspace;

import static io.switchboard.core.Require.require;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * The name a task's branch and folders are made from: its id when that is already safe, else a readable part of
 * it followed by a hash of the whole id.
 *
 * <ul>
 *   <li>An id of at most {@value #MAX_LENGTH} characters from {@code A-Z a-z 0-9 . _ -}, starting with a letter
 *       or digit, without {@code ..} and not ending in {@code .} or {@code .lock}, is the name as it is:
 *       {@code TASK-7}, {@code 01-api-02-1}: the branch is {@code switchboard/<task id>}.
 *   <li>Any other id is lower-cased; every run of characters other than those (a slash, a space, an accented
 *       letter…) becomes one {@code -}, runs of dots one dot, leading and trailing {@code - . _}
 *       are dropped and the rest is cut to {@value #READABLE_LENGTH} characters; then {@code -} and the first 8
 *       hexadecimal digits of the SHA-256 of the id (UTF-8) follow: {@code feature/Login page} becomes
 *       {@code feature-login-page-} and 8 digits. An id with nothing readable is the 8 digits alone.
 * </ul>
 *
 * <p>Every name is therefore a valid git branch component and folder name, and the hash keeps two ids that read
 * alike apart: {@code a/b} and {@code a b} get different names. Two names that differ only in case would be one
 * file on a case-insensitive file system (macOS, Windows), where refs are files, so each set of workspaces refuses
 * the second of two such ids as it refuses two ids of one name ({@link NameRegistry}). Two ids can still meet only by a hash collision or an id
 * written to look like another's name (an id {@code a-b-} followed by the digits of {@code a b}); each
 * {@link TaskWorkspaces} refuses the second id that maps to a name it already gave another (see
 * {@link NameRegistry}). Empty ids, ids of white space only, and ids holding control characters (a line end
 * would break the commit message) are refused.
 *
 * @param taskId the task's id, as given
 * @param name what the branch ({@code switchboard/<name>}) and the folders ({@code <name>-<attempt>}) are made
 *     of
 */
public record WorkspaceName(String taskId, String name) {
    /** The longest id that is kept as it is. */
    public static final int MAX_LENGTH = 64;
    /** How much of a changed id is kept before its hash. */
    public static final int READABLE_LENGTH = 55;
    /** The folder all task branches are in. */
    public static final String BRANCH_PREFIX = "switchboard/";

    private static final Pattern SAFE = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]*");
    private static final Pattern UNSAFE_RUN = Pattern.compile("[^a-z0-9._-]+");
    private static final Pattern DOT_RUN = Pattern.compile("\\.{2,}");
    private static final Pattern EDGES = Pattern.compile("^[-._]+|[-._]+$");
    private static final int HASH_DIGITS = 8;

    public WorkspaceName {
        Objects.requireNonNull(taskId, "taskId");
        Objects.requireNonNull(name, "name");
        require(isSafe(name), "'%s' is not a safe workspace name", name);
    }

    /**
     * The name for a task id.
     *
     * @throws IllegalArgumentException for an empty or blank id, or one holding a control character; the id is
     *     quoted
     */
    public static WorkspaceName of(String taskId) {
        Objects.requireNonNull(taskId, "taskId");
        require(!taskId.isBlank(), "a task id must not be empty or blank, was '%s'", taskId);
        require(taskId.codePoints().noneMatch(Character::isISOControl),
                "a task id must not hold control characters (a line end, a tab…), was '%s'", escaped(taskId));
        if (isSafe(taskId)) {
            return new WorkspaceName(taskId, taskId);
        }
        String readable = UNSAFE_RUN.matcher(taskId.toLowerCase(Locale.ROOT)).replaceAll("-");
        readable = EDGES.matcher(DOT_RUN.matcher(readable).replaceAll(".")).replaceAll("");
        if (readable.length() > READABLE_LENGTH) {
            readable = EDGES.matcher(readable.substring(0, READABLE_LENGTH)).replaceAll("");
        }
        String hash = hash(taskId);
        return new WorkspaceName(taskId, readable.isEmpty() ? hash : readable + "-" + hash);
    }

    /** {@code switchboard/<name>}. */
    public String branch() {
        return BRANCH_PREFIX + name;
    }

    /** The folder of one attempt: {@code <name>-<attempt>}. */
    public String folder(int attempt) {
        require(attempt >= 1, "an attempt is numbered from 1, was %s", attempt);
        return name + "-" + attempt;
    }

    /** Whether a folder's name is that of one of this task's attempts. */
    boolean isFolderOfAnAttempt(String folderName) {
        return folderName.startsWith(name + "-") && folderName.length() > name.length() + 1
                && folderName.substring(name.length() + 1).chars().allMatch(c -> c >= '0' && c <= '9');
    }

    private static boolean isSafe(String id) {
        return id.length() <= MAX_LENGTH && SAFE.matcher(id).matches() && !id.contains("..")
                && !id.endsWith(".") && !id.endsWith(".lock");
    }

    private static String hash(String taskId) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(taskId.getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(digest).substring(0, HASH_DIGITS);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }

    private static String escaped(String text) {
        StringBuilder out = new StringBuilder();
        text.codePoints().forEach(c -> {
            if (Character.isISOControl(c)) {
                out.append(String.format("\\u%04x", c));
            } else {
                out.appendCodePoint(c);
            }
        });
        return out.toString();
    }
}
