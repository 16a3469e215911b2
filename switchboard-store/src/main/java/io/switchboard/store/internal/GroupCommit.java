package io.switchboard.store.internal;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.sql.Statement;
import java.util.concurrent.CountDownLatch;

/**
 * Commits the transactions of writers that queue for one writer connection together: each writer's unit of work
 * runs in the open transaction (under a savepoint of its own once another writer's work is in it), and the
 * writer that finds nobody queued behind it commits for all of them. Every writer returns only after the commit
 * that holds its work: nothing is acknowledged before it is durable, and a failed commit fails every writer in
 * it. A unit of work that fails is rolled back to its savepoint alone; the others' work goes on to be committed.
 *
 * <p>A commit is most of what a small write costs on SQLite (appending its pages to the WAL), and writers that
 * queue change many of the same pages, so a group costs little more than one of them. A writer alone commits at
 * once, as without grouping: grouping never makes a writer wait for another to come.
 *
 * <p>Every use of the writer connection goes through here (and {@link ConnectionSource#close}, which waits for
 * the lock): a writer leaves its work uncommitted only when another writer is queued for the lock, and that one,
 * or the last of those behind it, commits.
 */
final class GroupCommit {
    /** Units of work in one commit at most, so that a steady stream of writers still commits now and then. */
    static final int MOST_IN_ONE_COMMIT = 64;

    private final ConnectionSource connections;
    /** The transaction open on the writer connection, if any; only touched while holding the writer. */
    private Group open;
    /** Commits made; only touched while holding the writer. */
    private long commits;

    GroupCommit(ConnectionSource connections) {
        this.connections = connections;
    }

    <T> T write(Jdbc.Work<T> work) throws SQLException {
        Group group;
        boolean committed;
        T result = null;
        Throwable failure = null;
        Connection connection = connections.acquireWriter();
        try {
            if (open == null) {
                connection.setAutoCommit(false);
                open = new Group();
            }
            group = open;
            Savepoint savepoint = group.members > 0 ? connection.setSavepoint() : null;
            try {
                result = work.run(connection);
                if (savepoint != null) {
                    connection.releaseSavepoint(savepoint);
                }
                group.members++;
            } catch (SQLException | RuntimeException | Error e) {
                failure = e;
                undo(connection, savepoint, e);
            }
            if (group.members > 0 && connections.writersWaiting() && group.members < MOST_IN_ONE_COMMIT) {
                committed = false;
            } else {
                committed = true;
                commit(connection, group);
            }
        } finally {
            connections.releaseWriter(connection);
        }
        if (failure != null) {
            throw rethrow(failure);
        }
        if (!committed) {
            group.awaitCommit();
        } else if (group.failure != null) {
            throw group.failure;
        }
        return result;
    }

    /** Undoes a failed unit of work: back to its savepoint, or the whole transaction when it was alone in it. */
    private void undo(Connection connection, Savepoint savepoint, Throwable cause) {
        try {
            if (savepoint != null) {
                connection.rollback(savepoint);
                connection.releaseSavepoint(savepoint);
            } else {
                connection.rollback();
            }
        } catch (SQLException e) {
            cause.addSuppressed(e);
        }
    }

    /** Ends the open transaction: commits it when it holds anyone's work, and tells its writers. */
    private void commit(Connection connection, Group group) {
        open = null;
        try {
            // Turning auto-commit back on commits the open transaction; the driver's commit() would then begin
            // another, empty one, which turning it on would commit in turn: two statements more a commit.
            connection.setAutoCommit(true);
            if (group.members > 0) {
                commits++;
            }
        } catch (SQLException e) {
            abandon(connection, e);
            group.failure = e;
        }
        group.done.countDown();
    }

    /**
     * Rolls back what a failed commit left open and leaves the connection in auto-commit, so that the next writer can
     * begin: SQLite keeps the transaction when COMMIT fails (a deferred constraint, a full disk, an I/O error), and a
     * transaction left open would make every later write fail to begin. The driver turns its auto-commit flag on
     * before it runs its COMMIT; when that one failed, the rollback goes as a statement.
     */
    private static void abandon(Connection connection, SQLException cause) {
        try {
            if (connection.getAutoCommit()) {
                try (Statement statement = connection.createStatement()) {
                    statement.execute("ROLLBACK");
                }
            } else {
                connection.rollback();
                connection.setAutoCommit(true);
            }
        } catch (SQLException suppressed) {
            cause.addSuppressed(suppressed);
        }
    }

    /** Commits made so far (read it while no write is running). */
    long commits() {
        return commits;
    }

    private static RuntimeException rethrow(Throwable failure) throws SQLException {
        if (failure instanceof SQLException e) {
            throw e;
        }
        if (failure instanceof Error e) {
            throw e;
        }
        return (RuntimeException) failure;
    }

    /** The writers of one transaction. */
    private static final class Group {
        /** Units of work in it that succeeded; only touched while holding the writer. */
        int members;
        /** Written before {@link #done} counts down; read after it. */
        SQLException failure;
        final CountDownLatch done = new CountDownLatch(1);

        /** Waits for the commit, not to be cut short: the writer's work is in it whatever this thread does. */
        void awaitCommit() throws SQLException {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) {
                Thread.currentThread().interrupt();
            }
            if (failure != null) {
                SQLException copy = new SQLException("the commit this write was part of failed: "
                        + failure.getMessage(), failure.getSQLState(), failure);
                throw copy;
            }
        }
    }
}
