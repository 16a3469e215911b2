package io.switchboard.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Option;

/** What to route and under which constraints; shared by {@code route} and {@code orchestrate}. */
final class RouteOptions {
    /** One of these, or none with {@link #plan}; {@code RouteCommand.tasks} says which go together. */
    @ArgGroup(exclusive = true, multiplicity = "0..1")
    Source source;

    @Option(names = "--plan", paramLabel = "NAME",
            description = {"Every task whose Plan or Sprint is NAME (a plan file's plan name, or its phase), read "
                + "from the task folders, or from --file (a task file or a folder)."})
    String plan;

    static final class Source {
        @Option(names = "--task", paramLabel = "ID",
                description = "A task id, found under the task folders (default tasks/ and .switchboard/tasks/).")
        String taskId;

        @Option(names = "--file", paramLabel = "FILE",
                description = "A task file: markdown, plan file (every task in it), YAML or JSON; with --plan, a "
                        + "file or folder to take the plan's tasks from.")
        Path file;

        @Option(names = "--prompt", paramLabel = "TEXT", description = "The task as text; traits are inferred.")
        String prompt;
    }

    @Option(names = "--prefer", paramLabel = "AGENT", description = "Add the preference factor for AGENT.")
    String prefer;

    @Option(names = "--exclude", paramLabel = "AGENT", split = ",",
            description = "Never choose AGENT (repeatable or comma-separated).")
    List<String> exclude = new ArrayList<>();

    @Option(names = "--max-cost", paramLabel = "DOLLARS",
            description = "Exclude agents whose estimated cost for the task is over DOLLARS.")
    Double maxCost;

    @Option(names = "--explain", description = "Print every candidate's factors and total, and every exclusion.")
    boolean explain;

    @Option(names = "--json", description = "Print the decision(s) as JSON.")
    boolean json;
}
