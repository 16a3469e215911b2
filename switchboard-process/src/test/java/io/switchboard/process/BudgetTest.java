package io.switchboard.process;

import static io.switchboard.process.AgentRunBuilder.anAgentRun;
import static io.switchboard.process.AgentRunBuilder.ms;
import static org.assertj.core.api.Assertions.assertThat;

import io.switchboard.core.execution.FailureType;
import io.switchboard.core.execution.RunObserver;
import io.switchboard.core.execution.RunResult;
import io.switchboard.core.execution.Usage;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Usage reported while an agent runs goes to the observer, and spending past the budget stops the run. */
class BudgetTest {
    @TempDir
    Path dir;

    private final List<Usage> heard = new CopyOnWriteArrayList<>();
    private final RunObserver observer = new RunObserver() {
        @Override
        public void usage(Usage soFar) {
            heard.add(soFar);
        }
    };
    private final LocalAgentRunner runner = new LocalAgentRunner(RunnerSettings.defaults().withGracePeriod(ms(500)),
            kind -> new RecordingAdapter());

    @Test
    void spendingPastTheBudgetStopsTheRun() throws Exception {
        RunResult result = runner.start(anAgentRun("print", "usage 100 50 0.10", "print", "usage 200 100 0.30",
                "sleep", "60000").in(dir).maxCost(0.25, 0).build(), observer).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.BUDGET);
        assertThat(result.failure().message()).contains("$0.30").contains("$0.25");
        assertThat(heard).containsExactly(new Usage(100, 50, 0.10), new Usage(200, 100, 0.30));
        assertThat(result.usage()).isEqualTo(new Usage(200, 100, 0.30));
    }

    @Test
    void tokensArePricedAtTheAgentsRateWhenItReportsNoCost() throws Exception {
        RunResult result = runner.start(anAgentRun("print", "usage 1000 1000 -", "sleep", "60000").in(dir)
                .maxCost(0.30, 0.20).build(), observer).await();

        assertThat(result.failure().type()).isEqualTo(FailureType.BUDGET);
        assertThat(result.failure().message()).contains("$0.40");
    }

    @Test
    void aRunWithinItsBudgetEndsNormallyAndReportsItsUsage() throws Exception {
        RunResult result = runner.start(anAgentRun("print", "usage 10 5 0.01", "ok").in(dir).maxCost(1.00, 0)
                .build(), observer).await();

        assertThat(result.failure()).isNull();
        assertThat(heard).containsExactly(new Usage(10, 5, 0.01));
        assertThat(result.usage()).isEqualTo(new Usage(10, 5, 0.01));
    }
}
