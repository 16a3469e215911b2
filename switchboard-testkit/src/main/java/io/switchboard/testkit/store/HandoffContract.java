package io.switchboard.testkit.store;

import static io.switchboard.testkit.OutcomeBuilder.failed;
import static io.switchboard.testkit.OutcomeBuilder.succeeded;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.core.agent.Mode;
import io.switchboard.core.attempt.Attempt;
import io.switchboard.core.attempt.AttemptOutcome;
import io.switchboard.core.attempt.AttemptRecord;
import io.switchboard.core.attempt.AttemptStart;
import io.switchboard.core.attempt.AttemptState;
import io.switchboard.core.attempt.TaskMove;
import io.switchboard.core.attempt.Transition;
import io.switchboard.core.execution.FailureInfo;
import io.switchboard.core.execution.FailureType;
import io.switchboard.core.port.TaskStore;
import io.switchboard.core.task.Handoff;
import io.switchboard.core.task.HandoffPendingException;
import io.switchboard.core.task.TaskOptions;
import io.switchboard.core.task.TaskState;
import io.switchboard.core.task.TaskStatus;
import io.switchboard.testkit.TaskBuilder;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * What every {@link TaskStore} keeps for handoffs, written once and run against each store: the packet and the
 * agent's final answer kept with an attempt, a handoff asked for and where it leaves the task, and the guard that
 * lets only the attempt taking a pending handoff up start.
 */
public abstract class HandoffContract extends StoreContract {

    private TaskStore tasks() {
        return store.tasks();
    }

    private TaskStatus status(String taskId) {
        return tasks().taskStatus(taskId).orElseThrow();
    }

    private AttemptStart startOn(String taskId, String agent, String packet, Handoff handoff) {
        var registered = store.agents().find(agent).orElseGet(() -> registered(agent));
        return new AttemptStart(taskId, registered.id(), agent, Mode.AUTO, "implement", null, "o-1", "o-1:" + taskId,
                "", packet, handoff);
    }

    private Attempt start(String taskId, String agent) {
        return tasks().startAttempt(startOn(taskId, agent, "", null), clock.instant());
    }

    /** Stores the task and fails it for good after one attempt on alpha. */
    private void failedTask(String taskId) {
        storedTask(taskId);
        start(taskId, "alpha");
        tasks().finishAttempt(failed(taskId, 1, FailureInfo.of(FailureType.EXIT_CODE, "exited with status 1"),
                clock.instant()).movingTaskTo(TaskState.FAILED, "failed 1 of 1 attempts allowed").build());
    }

    @Test
    void anAttemptKeepsThePacketItWasGivenAndTheAgentsFinalAnswer() {
        storedTask("T-1");
        String packet = "---\n\n# Handoff packet for T-1\n\nÜnïcödé, `code`, 🚀\n";

        Attempt attempt = tasks().startAttempt(startOn("T-1", "alpha", packet, null), clock.instant());

        assertThat(tasks().inFlightAttempts()).singleElement()
                .satisfies(record -> assertThat(record.packet()).isEqualTo(packet));
        AttemptOutcome outcome = new AttemptOutcome("T-1", attempt.number(), AttemptState.SUCCEEDED, null,
                clock.instant(), 5, 0, 0, 0, 0, null, "the output", "", null, null, null, "", "I added the limiter.",
                null);
        assertThat(tasks().finishAttempt(outcome)).isTrue();
        AttemptRecord record = tasks().attemptRecords("T-1").getFirst();
        assertThat(record.packet()).isEqualTo(packet);
        assertThat(record.answer()).isEqualTo("I added the limiter.");
        assertThat(record.output()).isEqualTo("the output");
    }

    @Test
    void anAttemptStartedWithoutAPacketHasNone() {
        storedTask("T-1");
        start("T-1", "alpha");
        tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).build());

        assertThat(tasks().attemptRecords("T-1").getFirst()).satisfies(record -> {
            assertThat(record.packet()).isEmpty();
            assertThat(record.answer()).isEmpty();
        });
        assertThat(tasks().handoff("T-1")).isEmpty();
    }

    @Test
    void handingOffAFailedTaskQueuesItAgainAndKeepsTheRequest() {
        failedTask("T-1");
        Instant asked = clock.tick(Duration.ofMinutes(1)).instant();

        assertThat(tasks().requestHandoff("T-1", Handoff.requested("beta", "Use the existing Clock.", asked)))
                .isEmpty();

        assertThat(status("T-1")).isEqualTo(new TaskStatus("T-1", TaskState.QUEUED, "handed off to beta", null, asked));
        assertThat(tasks().handoff("T-1")).contains(new Handoff("beta", "Use the existing Clock.", asked, null));
        assertThat(tasks().transitions("T-1")).last().isEqualTo(new Transition("T-1", null, "failed", "queued",
                "handed off to beta", asked));
    }

    @Test
    void handingOffAWaitingTaskQueuesItAndDropsItsDueTime() {
        storedTask("T-1");
        tasks().moveTask("T-1", new TaskMove(TaskState.WAITING, "retrying in 1h", clock.instant().plusSeconds(3600)),
                clock.instant());

        tasks().requestHandoff("T-1", Handoff.requested("beta", "", clock.instant()));

        assertThat(status("T-1").state()).isEqualTo(TaskState.QUEUED);
        assertThat(status("T-1").dueAt()).isNull();
    }

    @Test
    void handingOffARunningTaskKeepsItRunningAndNamesTheAttemptInFlight() {
        storedTask("T-1");
        start("T-1", "alpha");
        List<Transition> before = tasks().transitions("T-1");

        var inFlight = tasks().requestHandoff("T-1", Handoff.requested("beta", "", clock.instant()));

        assertThat(inFlight).hasValueSatisfying(record -> {
            assertThat(record.attempt().number()).isEqualTo(1);
            assertThat(record.marker()).isEqualTo("o-1:T-1");
        });
        assertThat(status("T-1").state()).isEqualTo(TaskState.RUNNING);
        assertThat(tasks().transitions("T-1")).isEqualTo(before);
    }

    @Test
    void aTaskThatSucceededOrIsUnknownIsNotHandedOff() {
        storedTask("T-1");
        start("T-1", "alpha");
        tasks().finishAttempt(succeeded("T-1", 1, clock.instant()).movingTaskTo(TaskState.SUCCEEDED, "done").build());

        assertThatThrownBy(() -> tasks().requestHandoff("T-1", Handoff.requested("beta", "", clock.instant())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("succeeded");
        assertThatThrownBy(() -> tasks().requestHandoff("T-9", Handoff.requested("beta", "", clock.instant())))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("T-9");
        assertThat(tasks().handoff("T-1")).isEmpty();
        assertThat(status("T-1").state()).isEqualTo(TaskState.SUCCEEDED);
    }

    @Test
    void whileAHandoffIsPendingOnlyTheAttemptTakingItUpStarts() {
        failedTask("T-1");
        Handoff handoff = Handoff.requested("beta", "note", clock.instant());
        tasks().requestHandoff("T-1", handoff);
        List<Transition> before = tasks().transitions("T-1");

        // The orchestrator that ran the task goes on as if nothing happened: refused, nothing written.
        assertThatThrownBy(() -> tasks().startAttempt(startOn("T-1", "gamma", "", null), clock.instant()))
                .isInstanceOf(HandoffPendingException.class).hasMessageContaining("handed off to beta");
        assertThat(tasks().transitions("T-1")).isEqualTo(before);
        assertThat(tasks().attempts("T-1")).hasSize(1);

        Instant now = clock.tick(Duration.ofSeconds(1)).instant();
        Attempt second = tasks().startAttempt(startOn("T-1", "beta", "the packet", tasks().handoff("T-1")
                .orElseThrow()), now);

        assertThat(second.number()).isEqualTo(2);
        assertThat(tasks().handoff("T-1")).contains(new Handoff("beta", "note", handoff.requestedAt(), 2));
        assertThat(status("T-1")).isEqualTo(new TaskStatus("T-1", TaskState.RUNNING,
                "attempt 2 on beta, handed off to beta", null, now));
        assertThat(tasks().attemptRecords("T-1").getLast().packet()).isEqualTo("the packet");
    }

    @Test
    void aHandoffTakenUpOrReplacedCannotBeTakenUpAgain() {
        failedTask("T-1");
        Handoff first = Handoff.requested("beta", "", clock.instant());
        tasks().requestHandoff("T-1", first);
        Handoff second = Handoff.requested("gamma", "", clock.tick(Duration.ofSeconds(1)).instant());
        tasks().requestHandoff("T-1", second);

        // The later request replaced the earlier one.
        assertThatThrownBy(() -> tasks().startAttempt(startOn("T-1", "beta", "", first), clock.instant()))
                .isInstanceOf(HandoffPendingException.class).hasMessageContaining("handed off to gamma");
        tasks().startAttempt(startOn("T-1", "gamma", "", second), clock.instant());
        tasks().finishAttempt(failed("T-1", 2, FailureInfo.of(FailureType.EXIT_CODE, "1"), clock.instant())
                .movingTaskTo(TaskState.QUEUED, "retry").build());

        assertThatThrownBy(() -> tasks().startAttempt(startOn("T-1", "gamma", "", second), clock.instant()))
                .isInstanceOf(IllegalStateException.class).hasMessageContaining("no longer pending");
        // Once taken up, the handoff pins the task but no longer holds other attempts back.
        assertThat(start("T-1", "gamma").number()).isEqualTo(3);
    }

    @Test
    void aPendingHandoffCanBeWithdrawnAndATakenUpOneCannot() {
        failedTask("T-1");
        Handoff handoff = Handoff.requested("beta", "", clock.instant());
        tasks().requestHandoff("T-1", handoff);

        assertThat(tasks().withdrawHandoff("T-1", Handoff.requested("gamma", "", handoff.requestedAt()))).isFalse();
        assertThat(tasks().withdrawHandoff("T-1", handoff)).isTrue();
        assertThat(tasks().handoff("T-1")).isEmpty();
        assertThat(tasks().withdrawHandoff("T-1", handoff)).isFalse();

        tasks().requestHandoff("T-1", handoff);
        tasks().startAttempt(startOn("T-1", "beta", "", handoff), clock.instant());
        assertThat(tasks().withdrawHandoff("T-1", handoff)).isFalse();
        assertThat(tasks().handoff("T-1")).hasValueSatisfying(h -> assertThat(h.attempt()).isEqualTo(2));
    }

    @Test
    void runningATaskAgainForgetsItsHandoff() {
        failedTask("T-1");
        tasks().requestHandoff("T-1", Handoff.requested("beta", "", clock.instant()));
        tasks().moveTask("T-1", TaskMove.to(TaskState.CANCELLED, "cancelled by the user"), clock.instant());

        tasks().submit(TaskBuilder.aTask().withId("T-1").build(), TaskOptions.DEFAULTS, true, clock.instant());

        assertThat(tasks().handoff("T-1")).isEmpty();
        assertThat(start("T-1", "gamma").number()).isEqualTo(2);
    }
}
