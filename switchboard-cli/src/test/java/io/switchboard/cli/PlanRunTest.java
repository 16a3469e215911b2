package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.switchboard.core.attempt.AttemptChanges;
import io.switchboard.core.attempt.FileChange;
import io.switchboard.core.task.TaskState;
import io.switchboard.store.Database;
import io.switchboard.store.Store;
import io.switchboard.testkit.agent.FakeAgent;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code orchestrate --plan NAME --parallel N} and {@code merge --plan NAME} in-process, on real git repositories,
 * with agents that are real subprocesses (the fake agent) editing files where they run. Each task's work type sends
 * it to an agent of its own, so each task does its own thing. What really ran is read from the fake agent's log.
 * The task ids are lower case, so their branches are {@code switchboard/<id>} as they are (docs/workspaces.md).
 */
@org.junit.jupiter.api.Timeout(value = 120, threadMode = org.junit.jupiter.api.Timeout.ThreadMode.SEPARATE_THREAD)
class PlanRunTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path root;

    /** The project, a git repository unless a test says otherwise. */
    Path project;
    /** Outside the project: the agents' log and the files they meet by. */
    Path shared;
    Path log;
    CliRun cli;
    final List<String> agents = new ArrayList<>();
    int attempts = 1;

    @BeforeEach
    void setUp() throws IOException {
        root = root.toRealPath();
        project = Files.createDirectories(root.resolve("project"));
        shared = Files.createDirectories(root.resolve("shared"));
        log = shared.resolve("runs.log");
        cli = new CliRun(project);
        cli.env.put("PATH", System.getenv("PATH"));
        Files.createDirectories(project.resolve("tasks"));
        Files.writeString(project.resolve("README.md"), "# A project\n");
    }

    @Test
    void tasksRunningAtOnceEachWorkInAWorktreeOfTheirOwnAndNeverSeeEachOthersEdits() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of("a.txt"));
        task("task-2", "p", "role-b", List.of(), List.of("b.txt"));
        // Each writes its file, then waits for the other to have written its own: they meet only if both run at
        // once. Then each checks that it cannot see the other's file.
        agent("alpha", "role-a", "write", "a.txt", "from a", "write", shared.resolve("a-ready").toString(), "x",
                "wait-for", shared.resolve("b-ready").toString(), "30000", "fail-if-exists", "b.txt", "9");
        agent("beta", "role-b", "write", "b.txt", "from b", "write", shared.resolve("b-ready").toString(), "x",
                "wait-for", shared.resolve("a-ready").toString(), "30000", "fail-if-exists", "a.txt", "9");
        GitRepo repo = repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p", "--parallel", "2");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repo.filesAt("switchboard/task-1")).contains("a.txt").doesNotContain("b.txt");
        assertThat(repo.filesAt("switchboard/task-2")).contains("b.txt").doesNotContain("a.txt");
        assertThat(repo.show("switchboard/task-1", "a.txt")).isEqualTo("from a");
        // The checkout itself is untouched, and no worktree is left.
        assertThat(repo.exists("a.txt")).isFalse();
        assertThat(repo.exists("b.txt")).isFalse();
        assertThat(repo.git("worktree", "list")).doesNotContain("worktrees/");
        assertThat(result.err()).contains("plan p: 2 tasks, up to 2 at once, each in a git worktree of its own");
        assertThat(result.out()).contains("BRANCH", "switchboard/task-1", "switchboard/task-2",
                "'switchboard merge --plan p'");
        try (Database database = Database.open(dbUrl())) {
            AttemptChanges changes = database.store().attemptRecords("task-1").getFirst().changes();
            assertThat(changes.branch()).isEqualTo("switchboard/task-1");
            assertThat(changes.commit()).isEqualTo(repo.git("rev-parse", "switchboard/task-1"));
            assertThat(changes.files()).containsExactly(new FileChange('A', "a.txt"));
            assertThat(changes.diffStat()).isEqualTo("1 file changed, 1 insertion(+)");
        }
        assertThat(runsLogged()).hasSize(2);
    }

    /**
     * Two tasks declaring the same file, two allowed at once. The first, while it runs, holds a marker and waits a
     * while for the second to say it checked; the second waits a while for the marker and fails if it is there. Run
     * at once, the second would find the marker and fail; run one after the other, both succeed.
     */
    @Test
    void tasksDeclaringOverlappingFilesNeverRunAtOnce() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of("src/shared.txt"));
        task("task-2", "p", "role-b", List.of(), List.of("./src/shared.txt"));
        task("task-3", "p", "role-c", List.of(), List.of("docs/"));
        String running = shared.resolve("first-running").toString();
        agent("holder", "role-a", "write", running, "x", "wait-at-most", shared.resolve("checked").toString(), "1500",
                "delete", running);
        agent("checker", "role-b", "wait-at-most", running, "1500", "fail-if-exists", running, "9", "write",
                shared.resolve("checked").toString(), "x");
        agent("other", "role-c", "write", "guide.md", "guide");
        repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p", "--parallel", "2");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(runsLogged()).hasSize(3);
    }

    @Test
    void aDependencysChangesAreInTheWorktreeOfTheTaskThatDependsOnItAndMergeBringsThemAllInOrder()
            throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-b", List.of("task-1"), List.of());
        task("task-3", "p", "role-c", List.of(), List.of());
        agent("alpha", "role-a", "write", "a.txt", "from a");
        // copy fails when a.txt is not there.
        agent("beta", "role-b", "copy", "a.txt", "b.txt");
        agent("gamma", "role-c", "write", "c.txt", "from c");
        GitRepo repo = repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p", "--parallel", "3", "--json");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repo.show("switchboard/task-2", "b.txt")).isEqualTo("from a");
        JsonNode second = JSON.readTree(result.out()).get("tasks").get(1);
        assertThat(second.get("task").asText()).isEqualTo("task-2");
        assertThat(second.get("branch").asText()).isEqualTo("switchboard/task-2");
        assertThat(second.get("changed_files").toString()).isEqualTo("[{\"kind\":\"A\",\"path\":\"b.txt\"}]");

        CliRun.Result merged = cli.run("merge", "--plan", "p");

        assertThat(merged.code()).as(merged.toString()).isEqualTo(ExitCodes.OK);
        assertThat(merged.out()).contains("3 branches of plan p merged.");
        assertThat(project.resolve("a.txt")).hasContent("from a");
        assertThat(project.resolve("b.txt")).hasContent("from a");
        assertThat(project.resolve("c.txt")).hasContent("from c");
        assertThat(repo.log()).startsWith("Merge switchboard/task-3 (task task-3)",
                "Merge switchboard/task-2 (task task-2)");
        assertThat(repo.log()).contains("Merge switchboard/task-1 (task task-1)");
    }

    @Test
    void mergeStopsAtTheFirstConflictNamingTheTaskAndTheFiles() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-b", List.of(), List.of());
        agent("alpha", "role-a", "write", "README.md", "# Rewritten by a");
        agent("beta", "role-b", "write", "README.md", "# Rewritten by b");
        GitRepo repo = repository();
        assertThat(cli.run("orchestrate", "--plan", "p", "--parallel", "2").code()).isEqualTo(ExitCodes.OK);

        CliRun.Result merged = cli.run("merge", "--plan", "p");

        assertThat(merged.code()).as(merged.toString()).isEqualTo(ExitCodes.MERGE_STOPPED);
        assertThat(merged.out()).contains("task-1: switchboard/task-1 merged as",
                "Stopped: task task-2 (switchboard/task-2) conflicts in: README.md");
        assertThat(project.resolve("README.md")).hasContent("# Rewritten by a");
        assertThat(repo.run("rev-parse", "-q", "--verify", "MERGE_HEAD").status()).isNotZero();
        assertThat(repo.git("status", "--porcelain", "--untracked-files=no")).isEmpty();
    }

    @Test
    void aFailedTaskSkipsOnlyTheTasksThatDependOnIt() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-b", List.of("task-1"), List.of());
        task("task-3", "p", "role-c", List.of(), List.of());
        agent("alpha", "role-a", "exit", "3");
        agent("beta", "role-b", "write", "b.txt", "b");
        agent("gamma", "role-c", "write", "c.txt", "c");
        repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p", "--parallel", "2");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(result.out()).contains("task-2: cancelled: skipped: depends on task-1, which failed",
                "1 of 3 tasks succeeded");
        try (Database database = Database.open(dbUrl())) {
            Store store = database.store();
            assertThat(store.taskStatus("task-1").orElseThrow().state()).isEqualTo(TaskState.FAILED);
            assertThat(store.taskStatus("task-2").orElseThrow().state()).isEqualTo(TaskState.CANCELLED);
            assertThat(store.taskStatus("task-3").orElseThrow().state()).isEqualTo(TaskState.SUCCEEDED);
            assertThat(store.attempts("task-2")).isEmpty();
        }
        assertThat(runsLogged()).hasSize(2);
    }

    @Test
    void aRetryStartsFromTheTasksBaseNotFromWhatTheFailedAttemptLeft() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        // "messy" is the specialist, chosen first: it leaves a file behind and fails; "tidy" takes the retry.
        agents.add("""
                  messy:
                    adapter: command
                    command: %s
                    capabilities: [role-a]
                    specializations: [role-a]
                """.formatted(OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "write",
                "junk.txt", "half done", "exit", "1"))));
        agent("tidy", "role-a", "fail-if-exists", "junk.txt", "9", "write", "done.txt", "done");
        attempts = 2;
        GitRepo repo = repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repo.filesAt("switchboard/task-1")).contains("done.txt").doesNotContain("junk.txt");
        assertThat(runsLogged()).hasSize(2);
    }

    /**
     * The failed attempt's work exists only on a commit the retry's worktree does not have: the retry's handoff
     * packet, which the next agent reads after the prompt, is where it learns which files were changed.
     */
    @Test
    void aRetrysHandoffPacketListsTheFilesTheFailedAttemptChangedWithItsDiffStatAndCommit() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        agents.add("""
                  messy:
                    adapter: command
                    command: %s
                    capabilities: [role-a]
                    specializations: [role-a]
                """.formatted(OrchestrateCommandTest.yamlList(FakeAgent.command("--log", log.toString(), "write",
                "Parser.java", "class Parser {", "write", "README.md", "# A project, half rewritten", "exit",
                "1"))));
        Path received = shared.resolve("tidy-read.txt");
        agent("tidy", "role-a", "stdin-to", received.toString(), "write", "done.txt", "done");
        attempts = 2;
        GitRepo repo = repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        String failedCommit;
        String packet;
        try (Database database = Database.open(dbUrl())) {
            List<io.switchboard.core.attempt.AttemptRecord> records = database.store().attemptRecords("task-1");
            assertThat(records).extracting(record -> record.attempt().agentName()).containsExactly("messy", "tidy");
            AttemptChanges failed = records.getFirst().changes();
            assertThat(failed.files()).containsExactly(new FileChange('A', "Parser.java"),
                    new FileChange('M', "README.md"));
            failedCommit = failed.commit();
            packet = records.get(1).packet();
        }
        // The commit is no branch's any more: the retry reset switchboard/task-1 to the task's base.
        assertThat(repo.git("cat-file", "-t", failedCommit)).isEqualTo("commit");
        assertThat(repo.filesAt("switchboard/task-1")).contains("done.txt").doesNotContain("Parser.java");
        assertThat(packet).contains("## What was done\n\nAttempt 1 on messy: failed",
                "Files changed:\n\n- `A Parser.java`\n- `M README.md`\n\n"
                        + "Diff: 2 files changed, 2 insertions(+), 1 deletion(-) (commit " + failedCommit + ")");
        // What the agent read on its standard input is the prompt followed by that very packet.
        assertThat(Files.readString(received)).contains("Do part task-1.").endsWith(packet);
    }

    /**
     * A plan's task that failed, handed to another agent: the attempt that takes the handoff up runs in a worktree on
     * the task's branch, from its base, told what the failed attempt changed; the checkout stays untouched.
     */
    @Test
    void aHandedOffPlanTaskRunsInAWorktreeFromItsBaseToldWhatTheFailedAttemptChanged() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        agent("messy", "role-a", "write", "Parser.java", "class Parser {", "exit", "1");
        Path received = shared.resolve("tidy-read.txt");
        // Not capable of role-a: only the handoff's pin brings the task to it.
        agent("tidy", "role-z", "stdin-to", received.toString(), "fail-if-exists", "Parser.java", "9", "write",
                "done.txt", "done");
        GitRepo repo = repository();
        CliRun.Result failed = cli.run("orchestrate", "--plan", "p");
        assertThat(failed.code()).as(failed.toString()).isEqualTo(ExitCodes.TASK_FAILED);

        CliRun.Result handedOff = cli.run("handoff", "task-1", "--to", "tidy");

        assertThat(handedOff.code()).as(handedOff.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repo.filesAt("switchboard/task-1")).contains("done.txt").doesNotContain("Parser.java");
        assertThat(repo.exists("done.txt")).isFalse();
        assertThat(repo.git("worktree", "list")).doesNotContain("worktrees/");
        assertThat(Files.readString(received)).contains("A person handed the task above to you (tidy)",
                "Files changed:\n\n- `A Parser.java`\n\nDiff: 1 file changed, 1 insertion(+) (commit ");
        try (Database database = Database.open(dbUrl())) {
            AttemptChanges changes = database.store().attemptRecords("task-1").getLast().changes();
            assertThat(changes.branch()).isEqualTo("switchboard/task-1");
            assertThat(changes.files()).containsExactly(new FileChange('A', "done.txt"));
        }
    }

    /**
     * A handoff asked for and not yet carried out (its command was stopped while it waited): a plan run leaves the
     * task to it and holds the task that waits for it; {@code resume} takes the handoff up, in the task's worktree,
     * and then runs the held task on a base with its work merged in.
     */
    @Test
    void aPlanRunLeavesAPendingHandoffToItAndResumeCarriesItOutThenRunsWhatWaitedForIt() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-b", List.of("task-1"), List.of());
        agent("messy", "role-a", "exit", "1");
        agent("tidy", "role-z", "write", "done.txt", "done");
        agent("beta", "role-b", "copy", "done.txt", "b.txt");
        GitRepo repo = repository();
        assertThat(cli.run("orchestrate", "--plan", "p").code()).isEqualTo(ExitCodes.TASK_FAILED);
        try (Database database = Database.open(dbUrl())) {
            database.store().requestHandoff("task-1", io.switchboard.core.task.Handoff.requested("tidy", "",
                    java.time.Instant.parse("2026-01-05T12:00:00Z")));
        }

        CliRun.Result again = cli.run("orchestrate", "--plan", "p", "--again");

        assertThat(again.code()).as(again.toString()).isEqualTo(ExitCodes.TASK_FAILED);
        assertThat(again.err()).contains("task-1 is handed off to tidy; 'switchboard resume' runs it there",
                "task-2 was not started: a task it waits for did not finish");
        assertThat(runsLogged()).hasSize(1);

        CliRun.Result resumed = cli.run("resume");

        assertThat(resumed.code()).as(resumed.toString()).isEqualTo(ExitCodes.OK);
        assertThat(repo.show("switchboard/task-2", "b.txt")).isEqualTo("done");
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().attemptRecords("task-1")).extracting(r -> r.attempt().agentName())
                    .containsExactly("messy", "tidy");
            assertThat(database.store().attemptRecords("task-1").getLast().changes().branch())
                    .isEqualTo("switchboard/task-1");
        }
        assertThat(runsLogged()).hasSize(3);
    }

    @Test
    void aCycleOrAMissingDependencyIsRefusedBeforeAnyAgentRuns() throws IOException {
        task("task-1", "p", "role-a", List.of("task-2"), List.of());
        task("task-2", "p", "role-a", List.of("task-1"), List.of());
        task("task-3", "q", "role-a", List.of("task-404"), List.of());
        task("task-4", "r", "role-a", List.of("task-5"), List.of());
        task("task-5", "other", "role-a", List.of(), List.of());
        agent("alpha", "role-a", "write", "a.txt", "a");
        repository();

        CliRun.Result cycle = cli.run("orchestrate", "--plan", "p", "--parallel", "2");
        CliRun.Result missing = cli.run("orchestrate", "--plan", "q");
        CliRun.Result notRunYet = cli.run("orchestrate", "--plan", "r");

        assertThat(cycle.code()).as(cycle.toString()).isEqualTo(ExitCodes.USAGE);
        assertThat(cycle.err()).contains("plan p cannot run: the tasks depend on each other in a cycle: "
                + "task-1 -> task-2 -> task-1");
        assertThat(missing.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(missing.err()).contains("plan q cannot run: task task-3 depends on task-404, which is no task or "
                + "plan in tasks, .switchboard/tasks nor a task run before");
        assertThat(notRunYet.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(notRunYet.err()).contains("task task-4 depends on task-5, which is not part of plan r and has not "
                + "succeeded: task-5 (never run)");
        assertThat(runsLogged()).isEmpty();
        try (Database database = Database.open(dbUrl())) {
            assertThat(database.store().unfinishedTasks()).isEmpty();
        }
    }

    @Test
    void aNameThatMatchesNothingSaysWhatPlansThereAre() throws IOException {
        task("task-1", "api", "role-a", List.of(), List.of());
        agent("alpha", "role-a", "write", "a.txt", "a");
        repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "apu");

        assertThat(result.code()).isEqualTo(ExitCodes.NOT_FOUND);
        assertThat(result.err()).contains("no task has Plan or Sprint 'apu' among the 1 task in tasks, "
                + ".switchboard/tasks; plans: api");
        assertThat(cli.run("orchestrate", "--task", "task-1", "--parallel", "2").err())
                .contains("--parallel is for a plan run: give --plan NAME");
        CliRun.Result withWorkflow = cli.run("orchestrate", "--plan", "api", "--workflow", "plan-implement-review");
        assertThat(withWorkflow.code()).isEqualTo(ExitCodes.USAGE);
        assertThat(withWorkflow.err()).contains("--workflow runs one task through a workflow; --plan, --parallel and "
                + "--no-isolation are for a plan run");
    }

    @Test
    void outsideARepositoryEachTaskWorksInACopyAndTheProjectIsLeftAlone() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-b", List.of(), List.of());
        agent("alpha", "role-a", "write", "README.md", "# from a", "write", shared.resolve("a-ready").toString(), "x",
                "wait-for", shared.resolve("b-ready").toString(), "30000");
        agent("beta", "role-b", "write", "README.md", "# from b", "write", shared.resolve("b-ready").toString(), "x",
                "wait-for", shared.resolve("a-ready").toString(), "30000");
        config();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p", "--parallel", "2");

        assertThat(result.code()).as(result.toString()).isEqualTo(ExitCodes.OK);
        assertThat(result.err()).contains("each in a copy of " + project + " (not a git repository");
        assertThat(project.resolve("README.md")).hasContent("# A project");
        assertThat(project.resolve(".switchboard/copies/task-1-1/README.md")).hasContent("# from a");
        assertThat(project.resolve(".switchboard/copies/task-2-1/README.md")).hasContent("# from b");
        assertThat(result.out()).contains("copy .switchboard/copies/task-1-1");
        // A copy has no branch to merge: no word of merging.
        assertThat(result.out()).doesNotContain("merge --plan");
    }

    @Test
    void offATerminalProgressIsPrintedAsPlainLines() throws IOException {
        task("task-1", "p", "role-a", List.of(), List.of());
        task("task-2", "p", "role-a", List.of("task-1"), List.of());
        agent("alpha", "role-a", "print", "done");
        repository();

        CliRun.Result result = cli.run("orchestrate", "--plan", "p");

        assertThat(result.err()).contains("progress: 1/2 done, 0 running, 1 waiting",
                "progress: 2/2 done, 0 running, 0 waiting").doesNotContain("\r");
    }

    private void task(String id, String plan, String workType, List<String> dependencies, List<String> files)
            throws IOException {
        StringBuilder text = new StringBuilder("# " + id + ": Implement part " + id + "\n\n## Metadata\n- **ID**: "
                + id + "\n- **Plan**: " + plan + "\n- **Work Type**: " + workType + "\n");
        if (!dependencies.isEmpty()) {
            text.append("\n## Dependencies\n");
            dependencies.forEach(dependency -> text.append("- ").append(dependency).append('\n'));
        }
        if (!files.isEmpty()) {
            text.append("\n## Files to Create/Modify\n");
            files.forEach(file -> text.append("- `").append(file).append("`\n"));
        }
        text.append("\n## Description\nDo part ").append(id).append(".\n");
        Files.writeString(project.resolve("tasks/" + id + ".md"), text.toString());
    }

    /** A command agent running the fake agent's steps, taking only tasks of this work type. */
    private void agent(String name, String workType, String... steps) {
        List<String> args = new ArrayList<>(List.of("--log", log.toString()));
        args.addAll(List.of(steps));
        agents.add("""
                  %s:
                    adapter: command
                    command: %s
                    capabilities: [%s]
                """.formatted(name, OrchestrateCommandTest.yamlList(FakeAgent.command(args.toArray(String[]::new))),
                workType));
    }

    private void config() throws IOException {
        Files.writeString(project.resolve("switchboard.yaml"), "agents:\n" + String.join("", agents)
                + "retry: {initial_delay: 0s, max_delay: 1ms, max_attempts: " + attempts + "}\n");
    }

    /** Writes the config and makes the project a repository with everything committed. */
    private GitRepo repository() throws IOException {
        config();
        return GitRepo.in(project);
    }

    private List<String> runsLogged() throws IOException {
        if (!Files.exists(log)) {
            return List.of();
        }
        try (Stream<String> lines = Files.lines(log)) {
            return lines.toList();
        }
    }

    private String dbUrl() {
        return "jdbc:sqlite:" + project.resolve(".switchboard/state.db");
    }
}
