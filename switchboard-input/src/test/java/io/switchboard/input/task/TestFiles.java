package io.switchboard.input.task;

import io.switchboard.core.task.Task;
import io.switchboard.input.InputException;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.util.List;
import org.assertj.core.api.Assertions;

/** Task files under {@code src/test/resources/tasks}, read under the display name {@code tasks/<path>}. */
final class TestFiles {
    private TestFiles() {
    }

    static Path resource(String path) {
        URL url = TestFiles.class.getClassLoader().getResource("tasks/" + path);
        if (url == null) {
            throw new IllegalArgumentException("no test resource tasks/" + path);
        }
        try {
            return Path.of(url.toURI());
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(e);
        }
    }

    static List<Task> read(String path) {
        return TaskFiles.read(resource(path), "tasks/" + path);
    }

    static Task readOne(String path) {
        List<Task> tasks = read(path);
        Assertions.assertThat(tasks).hasSize(1);
        return tasks.get(0);
    }

    static InputException failureOf(Runnable action) {
        try {
            action.run();
        } catch (InputException e) {
            return e;
        }
        throw new AssertionError("expected an InputException");
    }
}
