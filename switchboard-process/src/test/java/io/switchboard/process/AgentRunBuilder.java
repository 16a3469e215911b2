package io.switchboard.process;

import io.switchboard.core.agent.Adapter;
import io.switchboard.core.agent.AgentProfile;
import io.switchboard.core.agent.Availability;
import io.switchboard.core.agent.Mode;
import io.switchboard.core.execution.RunRequest;
import io.switchboard.core.execution.VerifyRequest;
import io.switchboard.testkit.agent.FakeAgent;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

/**
 * Builds run requests for the fake agent, saying only what matters to a test:
 * {@code anAgentRun("sleep", "60000").in(dir).idleTimeout(ms(300)).build()}.
 */
final class AgentRunBuilder {
    /** Where the fake agent finds {@code setsid} and {@code kill}; nothing else is inherited. */
    static final String PATH = "/usr/bin:/bin";

    private List<String> command;
    private Path workingDirectory;
    private String prompt = "Do the thing.";
    private final Map<String, String> environment = new HashMap<>(Map.of("PATH", PATH));
    private final Set<String> secrets = new HashSet<>();
    private Duration timeout = Duration.ofSeconds(60);
    private Duration idleTimeout = Duration.ofSeconds(30);
    private Double maxCost;
    private double costPer1kTokens;
    private String marker = "test-" + UUID.randomUUID();

    private AgentRunBuilder(List<String> command) {
        this.command = command;
    }

    /** A run of the fake agent doing these steps. */
    static AgentRunBuilder anAgentRun(String... steps) {
        return new AgentRunBuilder(FakeAgent.command(steps));
    }

    /** A run of any command. */
    static AgentRunBuilder aRunOf(List<String> argv) {
        return new AgentRunBuilder(argv);
    }

    static Duration ms(long millis) {
        return Duration.ofMillis(millis);
    }

    AgentRunBuilder in(Path value) {
        workingDirectory = value;
        return this;
    }

    AgentRunBuilder prompt(String value) {
        prompt = value;
        return this;
    }

    AgentRunBuilder env(String name, String value) {
        environment.put(name, value);
        return this;
    }

    AgentRunBuilder withoutEnv(String name) {
        environment.remove(name);
        return this;
    }

    AgentRunBuilder secret(String value) {
        secrets.add(value);
        return this;
    }

    AgentRunBuilder timeout(Duration value) {
        timeout = value;
        return this;
    }

    AgentRunBuilder idleTimeout(Duration value) {
        idleTimeout = value;
        return this;
    }

    AgentRunBuilder maxCost(double dollars, double pricePer1kTokens) {
        maxCost = dollars;
        costPer1kTokens = pricePer1kTokens;
        return this;
    }

    AgentRunBuilder marker(String value) {
        marker = value;
        return this;
    }

    String marker() {
        return marker;
    }

    RunRequest build() {
        AgentProfile agent = new AgentProfile("fake", Adapter.COMMAND, null, null, List.of(), List.of(), List.of(),
                List.of(), costPer1kTokens, AgentProfile.DEFAULT_CONTEXT_LIMIT, Availability.LOCAL, 1, Map.of(),
                command);
        return new RunRequest("task-1", 1, agent, Mode.AUTO, prompt, workingDirectory, environment, secrets, timeout,
                idleTimeout, maxCost, marker, false);
    }

    VerifyRequest buildVerify() {
        return new VerifyRequest("task-1", 1, command, workingDirectory, environment, secrets, timeout, marker);
    }
}
