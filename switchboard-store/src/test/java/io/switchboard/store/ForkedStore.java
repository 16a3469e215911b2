package io.switchboard.store;

import static io.switchboard.testkit.DecisionBuilder.aDecision;

import io.switchboard.testkit.MutableClock;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A separate JVM that opens a store and does one thing, so tests can watch what a fresh process loads and
 * what survives it dying.
 *
 * <ul>
 *   <li>{@code read URL}: opens the database, reads the agents and prints how many, and how long it took;
 *   <li>{@code append-then-halt URL}: appends a decision for task {@code DURABLE-1}, prints its id and halts
 *       at once (exit status 3), closing nothing and running no shutdown hook, as a crash would.
 * </ul>
 */
public final class ForkedStore {
    private ForkedStore() {
    }

    public static void main(String[] args) {
        String url = args[1];
        switch (args[0]) {
            case "read" -> {
                long start = System.nanoTime();
                try (Database database = Database.open(url)) {
                    int agents = database.store().agents().size();
                    System.out.println("agents: " + agents);
                    System.out.println("millis: " + (System.nanoTime() - start) / 1_000_000);
                }
            }
            case "append-then-halt" -> {
                Database database = Database.open(url);
                long id = database.store().append(aDecision().forTask("DURABLE-1").choosing("codex")
                        .at(MutableClock.EPOCH).build());
                System.out.println("appended: " + id);
                System.out.flush();
                Runtime.getRuntime().halt(3);
            }
            default -> throw new IllegalArgumentException("unknown command " + args[0]);
        }
    }

    /** Starts a JVM running {@code command} on {@code url}, with these JVM options first; its stderr joins stdout. */
    static Process start(String command, String url, String... jvmOptions) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(ProcessHandle.current().info().command().orElse(
                Path.of(System.getProperty("java.home"), "bin", "java").toString()));
        argv.addAll(List.of(jvmOptions));
        argv.addAll(List.of("--enable-native-access=ALL-UNNAMED", "-cp", System.getProperty("java.class.path"),
                ForkedStore.class.getName(), command, url));
        return new ProcessBuilder(argv).redirectErrorStream(true).start();
    }
}
