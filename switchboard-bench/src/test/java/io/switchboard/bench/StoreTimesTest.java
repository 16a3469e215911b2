package io.switchboard.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.switchboard.store.Store;
import java.lang.reflect.Proxy;
import java.util.List;
import org.junit.jupiter.api.Test;

class StoreTimesTest {

    /** A store that answers {@code countPending} with 7 and fails every other call. */
    private static Store fake() {
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class},
                (proxy, method, args) -> {
                    if (method.getName().equals("countPending")) {
                        return 7L;
                    }
                    throw new IllegalStateException("no " + method.getName() + " here");
                });
    }

    @Test
    void everyCallIsCountedUnderItsSideAndMethodAndPassedThrough() {
        StoreTimes times = new StoreTimes();
        Store orchestrator = times.timed(fake(), "orchestrator");
        Store workers = times.timed(fake(), "workers");

        assertThat(orchestrator.countPending()).isEqualTo(7L);
        assertThat(orchestrator.countPending()).isEqualTo(7L);
        assertThat(workers.countPending()).isEqualTo(7L);

        List<Breakdown.Call> calls = times.perTask(4);
        assertThat(calls).extracting(Breakdown.Call::side, Breakdown.Call::method, Breakdown.Call::perTask)
                .containsExactlyInAnyOrder(org.assertj.core.groups.Tuple.tuple("orchestrator", "countPending", 0.5),
                        org.assertj.core.groups.Tuple.tuple("workers", "countPending", 0.25));
        assertThat(calls).allSatisfy(call -> assertThat(call.meanMillis()).isNotNegative());

        times.reset();
        assertThat(times.perTask(4)).isEmpty();
    }

    @Test
    void aFailingCallThrowsWhatTheStoreThrewAndIsCountedToo() {
        StoreTimes times = new StoreTimes();
        Store store = times.timed(fake(), "client");

        assertThatThrownBy(() -> store.taskStatus("T-1"))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("no taskStatus here");
        assertThat(times.perTask(1)).extracting(Breakdown.Call::method).containsExactly("taskStatus");
    }
}
