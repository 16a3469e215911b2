package io.switchboard.bench;

import io.switchboard.core.routing.AgentState;
import io.switchboard.core.routing.FactorScore;
import io.switchboard.core.routing.Router;
import io.switchboard.core.routing.RoutingDecision;
import io.switchboard.core.routing.RoutingPolicy;
import io.switchboard.core.routing.RoutingRequest;
import io.switchboard.core.routing.Rule;
import io.switchboard.core.routing.ScoredCandidate;
import io.switchboard.testkit.MutableClock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One routing decision with its full explanation, at 10 to 10,000 candidates. {@code decide} builds the
 * decision (every candidate, nine factor values each, every exclusion, the reason); {@code decideAndRender}
 * also renders every factor's reason text, as writing the audit row does.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(1)
public class RouterBenchmark {
    @Param({"10", "100", "1000", "10000"})
    public int candidates;

    private Router router;
    private RoutingRequest request;
    private List<AgentState> agents;
    private final Instant now = MutableClock.EPOCH;

    @Setup
    public void setUp() {
        router = new Router(RoutingPolicy.defaults(), Rule.defaults());
        request = RoutingRequest.of(Population.task("TASK-1")).withPrefer("agent-7");
        agents = Population.states(candidates, 7);
    }

    @Benchmark
    public RoutingDecision decide() {
        return router.decide(request, agents, now);
    }

    @Benchmark
    public int decideAndRender() {
        RoutingDecision decision = router.decide(request, agents, now);
        int length = decision.reason().length();
        for (ScoredCandidate candidate : decision.candidates()) {
            for (FactorScore factor : candidate.factors()) {
                length += factor.reason().length();
            }
        }
        return length;
    }
}
