package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.InstantSource;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The README's first command: the demo plan, run with the demo's own config and stand-in agents (real
 * subprocesses), the way {@code examples/demo/run} sets it up, minus building the jar.
 */
@Timeout(value = 120, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class DemoTest {
    private static final Path DEMO = Path.of("..", "examples", "demo").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    @Test
    void the_demo_plan_runs_end_to_end_with_a_retry_and_every_task_succeeds() throws IOException {
        CliRun cli = demo();

        CliRun.Result result = cli.run("orchestrate", "--file", "plan.md");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("7 of 7 tasks succeeded");
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(".switchboard/state.db"))) {
            Store store = database.store();
            List<String> agents = Stream.of("CALC-1", "CALC-2", "CALC-3", "CALC-4", "CALC-5", "CALC-6", "CALC-7")
                    .map(id -> {
                        assertThat(store.taskStatus(id).orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
                        return store.attemptRecords(id).getLast().attempt().agentName();
                    }).toList();
            // The reasoning agent designs and reviews (in plan mode); the builder implements.
            assertThat(agents.getFirst()).isEqualTo("architect");
            assertThat(agents.getLast()).isEqualTo("architect");
            assertThat(agents.get(1)).isEqualTo("builder");
            // The flaky agent failed somewhere and the task moved on: more attempts than tasks.
            long attempts = Stream.of("CALC-1", "CALC-2", "CALC-3", "CALC-4", "CALC-5", "CALC-6", "CALC-7")
                    .mapToLong(id -> store.attemptRecords(id).size()).sum();
            assertThat(attempts).isGreaterThan(7);
            AttemptRecord design = store.attemptRecords("CALC-1").getFirst();
            assertThat(design.cost()).isPositive();
            assertThat(design.agentVersion()).isEqualTo("stand-in 1.0 (architect)");
        }
        // The agents did the file work, and the verify commands checked it.
        assertThat(Files.readString(dir.resolve("calc/ops.txt"))).contains("multiply and divide");
        assertThat(Files.readString(dir.resolve("README.md"))).contains("Document the calculator");
    }

    @Test
    void the_built_in_workflow_runs_on_the_demo_and_its_review_loop_goes_round_once() throws IOException {
        CliRun cli = demo();

        CliRun.Result result = cli.run("workflow", "run", "plan-implement-review", "--input",
                "task=Add a power operation to the calculator");

        // The stand-in reviewer asks for changes at its first review and approves at its second.
        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.out()).contains("review approved at iteration 2");
        try (Database database = Database.open("jdbc:sqlite:" + dir.resolve(".switchboard/state.db"))) {
            Store store = database.store();
            assertThat(store.attemptRecords("plan-implement-review-1.review").getLast().answer())
                    .endsWith("VERDICT: CHANGES_REQUESTED");
            assertThat(store.attemptRecords("plan-implement-review-1.review.2").getLast().answer())
                    .endsWith("VERDICT: APPROVED");
            assertThat(store.attemptRecords("plan-implement-review-1.implement.2").getLast().attempt().agentName())
                    .isEqualTo("builder");
        }
    }

    /** The demo's project, config, plan and stand-in agents in the test's folder, as examples/demo/run sets up. */
    private CliRun demo() throws IOException {
        copy(DEMO.resolve("project"), dir);
        Files.copy(DEMO.resolve("switchboard.yaml"), dir.resolve("switchboard.yaml"));
        Files.copy(DEMO.resolve("plan.md"), dir.resolve("plan.md"));
        Files.createDirectories(dir.resolve("agents"));
        Files.copy(DEMO.resolve("agents/stand-in"), dir.resolve("agents/stand-in"), StandardCopyOption.COPY_ATTRIBUTES);
        CliRun cli = new CliRun(dir);
        cli.env.put("PATH", System.getenv("PATH"));
        // The demo's back-off is real time (200 ms), so this run uses the real clock.
        cli.clockInUse = InstantSource.system();
        return cli;
    }

    private static void copy(Path from, Path to) throws IOException {
        try (Stream<Path> paths = Files.walk(from)) {
            paths.forEach(path -> {
                try {
                    Path target = to.resolve(from.relativize(path).toString());
                    if (Files.isDirectory(path)) {
                        Files.createDirectories(target);
                    } else {
                        Files.copy(path, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
        }
    }
}
