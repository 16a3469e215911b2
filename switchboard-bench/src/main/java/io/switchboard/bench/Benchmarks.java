package io.switchboard.bench;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;

/** Runs every benchmark and prints the figures docs/performance.md reports. */
public final class Benchmarks {
    private Benchmarks() {
    }

    public static void main(String[] args) throws RunnerException {
        Options options = new OptionsBuilder().include(RouterBenchmark.class.getSimpleName()).build();
        new Runner(options).run();
    }
}
