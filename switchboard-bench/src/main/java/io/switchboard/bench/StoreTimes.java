package io.switchboard.bench;

import io.switchboard.store.Store;
import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;

/**
 * How many store calls each side made and how long they took: a {@link Store} that times every call to the store it
 * wraps (a {@link Proxy} over the port interfaces, so nothing in the store changes), per side and method. A call's
 * time includes waiting for a connection from the store's pool. What the proxy adds is a reflective call, about a
 * microsecond, next to calls of a millisecond or so.
 */
final class StoreTimes {
    private final Map<String, Totals> totals = new ConcurrentHashMap<>();

    private static final class Totals {
        final String side;
        final String method;
        final LongAdder calls = new LongAdder();
        final LongAdder nanos = new LongAdder();

        Totals(String side, String method) {
            this.side = side;
            this.method = method;
        }
    }

    /** The store, its calls timed under {@code side}. */
    Store timed(Store store, String side) {
        InvocationHandler handler = (proxy, method, args) -> invoke(store, side, method, args);
        return (Store) Proxy.newProxyInstance(Store.class.getClassLoader(), new Class<?>[] {Store.class}, handler);
    }

    private Object invoke(Store store, String side, Method method, Object[] args) throws Throwable {
        if (method.getDeclaringClass() == Object.class) {
            return method.invoke(store, args);
        }
        long start = System.nanoTime();
        try {
            return method.invoke(store, args);
        } catch (InvocationTargetException e) {
            throw e.getCause();
        } finally {
            long took = System.nanoTime() - start;
            Totals each = totals.computeIfAbsent(side + " " + method.getName(),
                    key -> new Totals(side, method.getName()));
            each.calls.increment();
            each.nanos.add(took);
        }
    }

    /** Forgets every call counted so far. */
    void reset() {
        totals.clear();
    }

    /** The calls counted since the last {@link #reset}, per task of a round of {@code tasks}, busiest first. */
    List<Breakdown.Call> perTask(int tasks) {
        List<Breakdown.Call> calls = new ArrayList<>();
        for (Totals each : totals.values()) {
            long count = each.calls.sum();
            if (count > 0) {
                calls.add(new Breakdown.Call(each.side, each.method, (double) count / tasks,
                        each.nanos.sum() / 1e6 / count));
            }
        }
        calls.sort((a, b) -> Double.compare(b.millisPerTask(), a.millisPerTask()));
        return calls;
    }
}
