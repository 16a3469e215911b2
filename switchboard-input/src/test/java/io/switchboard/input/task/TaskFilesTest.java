package io.switchboard.input.task;

import static io.switchboard.input.task.TestFiles.failureOf;
import static io.switchboard.input.task.TestFiles.resource;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.task.Scope;
import io.switchboard.core.task.Task;
import io.switchboard.core.task.TaskType;
import io.switchboard.input.InputException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TaskFilesTest {
    @TempDir
    Path project;

    // ---- read ----

    @Test
    void theKindOfFileDecidesTheReader() {
        assertThat(TestFiles.read("plan/01-api-02-PLAN.md")).hasSize(3);
        assertThat(TestFiles.read("markdown/TASK-028-add-rate-limiter.md")).extracting(Task::id)
                .containsExactly("TASK-028");
        assertThat(TestFiles.read("yaml/sprint-4.yml")).hasSize(2);
        assertThat(TestFiles.read("yaml/TASK-040-webhook-review.json")).extracting(Task::id)
                .containsExactly("TASK-040");
    }

    @Test
    void anUnknownExtensionIsRefusedBeforeReading() {
        InputException error = failureOf(() -> TestFiles.read("broken/notes.txt"));

        assertThat(error.getMessage()).isEqualTo("tasks/broken/notes.txt: cannot tell what kind of task file this "
                + "is from its name; task files end in .md, .yaml, .yml or .json");
    }

    @Test
    void aMissingFileIsAnInputError() {
        InputException error = failureOf(() -> TaskFiles.read(project.resolve("nope.md"), "tasks/nope.md"));

        assertThat(error.getMessage()).isEqualTo("tasks/nope.md: no such file");
    }

    @Test
    void aPlanWithoutPhaseOrPlanIsNamedAfterItsFile() throws IOException {
        Path file = write("tasks/export-plan.md", "---\nwave: 1\n---\n<task><name>Add export</name></task>\n");

        assertThat(TaskFiles.read(file, "export-plan.md")).extracting(Task::id).containsExactly("export-plan-1");
    }

    // ---- readAll ----

    @Test
    void readAllReadsEveryTaskUnderTheFoldersOnceInPathOrder() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/b/TASK-028-add-rate-limiter.md");
        copy("yaml/sprint-4.yml", "tasks/a/sprint-4.yml");
        copy("plan/01-api-02-PLAN.md", ".switchboard/tasks/01-api-02-PLAN.md");
        write("tasks/.hidden/ignored.md", "not a task file at all");

        List<Task> tasks = TaskFiles.readAll(List.of(project.resolve("tasks"), project.resolve(".switchboard/tasks"),
                project.resolve("tasks/a/sprint-4.yml"), project.resolve("no-such-folder")));

        assertThat(tasks).extracting(Task::id).containsExactly("TASK-041", "TASK-042", "TASK-028", "01-api-02-1",
                "01-api-02-2", "api-limiter-wire");
    }

    @Test
    void readAllRefusesAFileItCannotReadAndAnIdClaimedTwice() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/TASK-028-add-rate-limiter.md");
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/again/task-028-copy.md");
        Path broken = write("other/broken.md", "---\nplan: x\n");

        InputException twice = failureOf(() -> TaskFiles.readAll(List.of(project.resolve("tasks"))));
        InputException unreadable = failureOf(() -> TaskFiles.readAll(List.of(project.resolve("other"))));

        assertThat(twice.getMessage()).contains("task id 'TASK-028' is claimed here and by ",
                "TASK-028-add-rate-limiter.md:1; ids must be unique");
        assertThat(unreadable.getMessage()).startsWith(broken.toString() + ":1: ");
    }

    // ---- findById ----

    @Test
    void findsATaskByItsFileName() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/TASK-028-add-rate-limiter.md");
        copy("yaml/sprint-4.yml", "tasks/sprints/sprint-4.yml");

        Task task = TaskFiles.findById("TASK-028", TaskFiles.defaultFolders(project));

        assertThat(task.title()).isEqualTo("Add a rate limiter to the public API");
        assertThat(task.source().location()).isEqualTo(project.resolve("tasks/TASK-028-add-rate-limiter.md").toString());
    }

    @Test
    void findsATaskInsideAFileWhoseNameDoesNotSayIt() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/rate-limiter.md");
        copy("yaml/sprint-4.yml", ".switchboard/tasks/deep/er/sprint-4.yml");
        copy("plan/01-api-02-PLAN.md", ".switchboard/tasks/01-api-02-PLAN.md");

        List<Path> folders = TaskFiles.defaultFolders(project);

        assertThat(TaskFiles.findById("TASK-028", folders).title()).isEqualTo("Add a rate limiter to the public API");
        assertThat(TaskFiles.findById("task-042", folders).title()).isEqualTo("Document the export format");
        assertThat(TaskFiles.findById("01-api-02-2", folders).title())
                .isEqualTo("Task 2: Cover refill and bursts with tests");
        assertThat(TaskFiles.findById("api-limiter-wire", folders).dependencies()).containsExactly("01-api-02-2");
    }

    @Test
    void anUnknownIdNamesTheIdAndTheFoldersSearched() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/TASK-028-add-rate-limiter.md");
        List<Path> folders = TaskFiles.defaultFolders(project);

        TaskNotFoundException error = notFound(() -> TaskFiles.findById("TASK-099", folders));

        assertThat(error.getMessage()).isEqualTo(project.resolve("tasks") + ", " + project.resolve(".switchboard/tasks")
                + ": no task with id 'TASK-099' among 1 task file");
    }

    @Test
    void noTaskFolderAtAllIsSaidPlainly() {
        TaskNotFoundException error = notFound(() -> TaskFiles.findById("TASK-1", List.of(project.resolve("tasks"))));

        assertThat(error.getMessage()).isEqualTo(project.resolve("tasks")
                + ": no task with id 'TASK-1': none of the task folders exists");
    }

    @Test
    void twoFilesClaimingOneIdAreAnErrorNamingBoth() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/TASK-028-add-rate-limiter.md");
        write(".switchboard/tasks/old.yaml", "id: task-028\ntitle: Add a limiter\n");

        InputException error = failureOf(() -> TaskFiles.findById("TASK-028", TaskFiles.defaultFolders(project)));

        assertThat(error.getMessage()).isEqualTo(project.resolve("tasks/TASK-028-add-rate-limiter.md") + ":1: task id "
                + "'TASK-028' is claimed here and by " + project.resolve(".switchboard/tasks/old.yaml") + ":1; ids "
                + "must be unique");
    }

    @Test
    void aBrokenUnrelatedFileDoesNotStopTheSearchButIsReportedWhenNothingIsFound() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/a.md");
        copy("broken/complexity-140.md", "tasks/b.md");
        List<Path> folders = List.of(project.resolve("tasks"));

        assertThat(TaskFiles.findById("TASK-028", folders).id()).isEqualTo("TASK-028");
        TaskNotFoundException error = notFound(() -> TaskFiles.findById("TASK-099", folders));
        assertThat(error.getMessage()).isEqualTo(project.resolve("tasks") + ": no task with id 'TASK-099' among 2 task "
                + "files; 1 file could not be read, the first: " + project.resolve("tasks/b.md") + ":6: Complexity: "
                + "expected a whole number from 0 to 100, found '140'");
    }

    @Test
    void aBrokenFileNamedAfterTheIdIsTheAnswer() throws IOException {
        copy("broken/complexity-140.md", "tasks/TASK-051-add-limiter.md");

        InputException error = failureOf(() -> TaskFiles.findById("TASK-051", List.of(project.resolve("tasks"))));

        assertThat(error.line()).isEqualTo(6);
        assertThat(error.file()).isEqualTo(project.resolve("tasks/TASK-051-add-limiter.md").toString());
    }

    @Test
    void hiddenFilesAndOtherExtensionsAreNotTaskFiles() throws IOException {
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/.drafts/TASK-028.md");
        copy("markdown/TASK-028-add-rate-limiter.md", "tasks/TASK-028.txt");
        copy("markdown/TASK-033-minimal.md", "tasks/TASK-033.md");

        TaskNotFoundException error = notFound(() -> TaskFiles.findById("TASK-028", List.of(project.resolve("tasks"))));

        assertThat(error.getMessage()).endsWith(": no task with id 'TASK-028' among 1 task file");
    }

    // ---- the quick start's examples ----

    @Test
    void theQuickStartExamplesRead() {
        Path examples = Path.of("..", "examples", "quickstart", "tasks");
        List<Path> folders = List.of(examples);

        Task limiter = TaskFiles.findById("TASK-028", folders);
        assertThat(limiter.traits().type()).isEqualTo(TaskType.IMPLEMENT);
        assertThat(limiter.traits().complexity()).isEqualTo(65);
        assertThat(limiter.traits().scope()).isEqualTo(Scope.MULTI_MODULE);
        assertThat(limiter.dependencies()).containsExactly("TASK-012");

        Task review = TaskFiles.findById("TASK-029", folders);
        assertThat(review.traits().type()).isEqualTo(TaskType.REVIEW);
        assertThat(review.traits().needsReasoning()).isTrue();

        List<Task> plan = TaskFiles.read(examples.resolve("plan-01-api.md"), "plan-01-api.md");
        assertThat(plan).extracting(Task::id).containsExactly("01-api-01-1", "01-api-01-2", "01-api-01-3");
        assertThat(plan).extracting(task -> task.traits().type())
                .containsExactly(TaskType.IMPLEMENT, TaskType.IMPLEMENT, TaskType.DOCS);
    }

    private Path copy(String resourcePath, String target) throws IOException {
        Path file = project.resolve(target);
        Files.createDirectories(file.getParent());
        return Files.copy(resource(resourcePath), file);
    }

    private Path write(String target, String text) throws IOException {
        Path file = project.resolve(target);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, text);
    }

    private static TaskNotFoundException notFound(org.assertj.core.api.ThrowableAssert.ThrowingCallable call) {
        return org.assertj.core.api.Assertions.catchThrowableOfType(TaskNotFoundException.class, call);
    }
}
