package io.switchboard.process.workspace;

import static io.switchboard.core.Require.require;

import java.util.Map;
import java.util.Objects;

/**
 * Who a commit is by: {@code Switchboard <switchboard@localhost>} unless configured.
 *
 * @param name as git shows it; not blank, no {@code <}, {@code >} or line end
 * @param email likewise
 */
public record GitIdentity(String name, String email) {
    public GitIdentity {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(email, "email");
        require(!name.isBlank() && name.chars().noneMatch(GitIdentity::forbidden),
                "a git identity's name must not be blank or hold <, > or a line end, was '%s'", name);
        require(!email.isBlank() && email.chars().noneMatch(GitIdentity::forbidden),
                "a git identity's email must not be blank or hold <, > or a line end, was '%s'", email);
    }

    /** The environment that makes git write this identity as both author and committer. */
    Map<String, String> environment() {
        return Map.of("GIT_AUTHOR_NAME", name, "GIT_AUTHOR_EMAIL", email, "GIT_COMMITTER_NAME", name,
                "GIT_COMMITTER_EMAIL", email);
    }

    @Override
    public String toString() {
        return name + " <" + email + ">";
    }

    private static boolean forbidden(int c) {
        return c == '<' || c == '>' || c == '\n' || c == '\r' || c == 0;
    }
}
