package io.switchboard.cli;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

/**
 * {@code switchboard orchestrate}: route and run. Running agents is not part of this version, so only
 * {@code --dry-run} (the same as {@code route --dry-run}) is accepted, and anything else says so.
 */
@Command(name = "orchestrate", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        description = {"Route and run a task. This version routes only: use --dry-run (same as route --dry-run)."})
final class OrchestrateCommand implements Callable<Integer> {
    @ParentCommand
    SwitchboardCommand root;

    @Mixin
    RouteOptions options = new RouteOptions();

    @Option(names = "--dry-run", description = "Decide and explain, but run and write nothing.")
    boolean dryRun;

    @Override
    public Integer call() {
        if (!dryRun) {
            throw CliException.usage("orchestrate runs agents, which this version does not do yet; "
                    + "use 'orchestrate --dry-run' to see the decision, or 'route' to record it");
        }
        return RouteCommand.route(root, options, true);
    }
}
