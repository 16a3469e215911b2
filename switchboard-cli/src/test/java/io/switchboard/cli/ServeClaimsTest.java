package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.attempt.OrchestratorRecord;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Store;
import io.switchboard.store.StoreException;
import io.switchboard.testkit.TaskBuilder;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code serve} and the claims it holds when the database fails under it. */
class ServeClaimsTest {
    /** Far more than the three no-op tasks take; only reached when a task is never served. */
    private static final Duration SERVE_AT_MOST = Duration.ofSeconds(60);

    @TempDir
    Path dir;

    /**
     * The first claim commits, but its reply is lost with the connection: the orchestrator does not know it holds the
     * task, and no other orchestrator takes a task a live one holds. Meanwhile another orchestrator lets go of an older
     * task. The orchestrator must serve the task it holds before any other claimable one, or it is never run.
     */
    @Test
    void a_task_claimed_while_the_reply_was_lost_is_served_before_older_tasks_freed_meanwhile() throws Exception {
        Path log = dir.resolve("runs.log");
        Files.writeString(dir.resolve("switchboard.yaml"), """
                agents:
                  helper:
                    adapter: command
                    command: %s
                """.formatted(OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "print",
                "done"))));
        StringWriter err = new StringWriter();
        Shell shell = new Shell(new PrintWriter(new StringWriter(), true), new PrintWriter(err, true), Map.of(), dir,
                InstantSource.system());
        try (Workspace workspace = new Workspace(shell, dir, null, null, null, false)) {
            serveAfterALostReply(workspace, shell, err, log);
        }
    }

    private static void serveAfterALostReply(Workspace workspace, Shell shell, StringWriter err, Path log)
            throws Exception {
        Store store = workspace.syncedStore();
        Instant accepted = Instant.now().minusSeconds(60);
        for (int i = 0; i < 3; i++) {
            store.submit(TaskBuilder.aTask().withId("T-" + i).titled("Task " + i).withPrompt("Do " + i + ".")
                    .build(), TaskOptions.DEFAULTS, false, accepted.plusSeconds(i));
        }
        store.registerOrchestrator(new OrchestratorRecord("o-other", "elsewhere", 1, accepted, null));
        store.beatOrchestrator("o-other", Duration.ofHours(1));
        assertThat(store.claimTask("T-0", "o-other")).isTrue();

        AtomicBoolean replyLost = new AtomicBoolean();
        Store failing = (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    try {
                        Object result = method.invoke(store, args);
                        if (method.getName().equals("claimTasks") && replyLost.compareAndSet(false, true)) {
                            // Committed, then the connection went: and the other orchestrator let go of T-0.
                            assertThat(result).isEqualTo(List.of("T-1"));
                            store.releaseTasks("o-other");
                            throw new StoreException("The database failed: An I/O error occurred while sending to "
                                    + "the backend.");
                        }
                        return result;
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                });

        try (Orchestration orchestration = new Orchestration(workspace, failing,
                Runners.local(workspace.config(), shell.err()), Map.of(), null, true)) {
            Thread serving = Thread.ofPlatform().daemon().start(() -> {
                try {
                    orchestration.serve(1, true, Duration.ofMillis(10));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            serving.join(SERVE_AT_MOST);
            assertThat(serving.isAlive()).as("serve still running, a task left behind:\n" + err).isFalse();
        }

        assertThat(replyLost).isTrue();
        assertThat(err.toString()).contains("serving failed, trying again", "the database answers again");
        for (int i = 0; i < 3; i++) {
            assertThat(store.taskStatus("T-" + i).orElseThrow().state()).as("T-" + i).isEqualTo(TaskState.SUCCEEDED);
        }
        assertThat(Files.readAllLines(log)).as("each task ran once").hasSize(3);
    }
}
