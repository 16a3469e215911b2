package io.switchboard.bench;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.format.OutputFormatFactory;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;
import org.openjdk.jmh.runner.options.VerboseMode;
import org.openjdk.jmh.profile.GCProfiler;
import org.openjdk.jmh.results.format.ResultFormatType;

/** Runs {@link RouterBenchmark} under JMH, its progress on standard error, and keeps the figures. */
final class RouterFigures {

    /**
     * One benchmark at one candidate count: JMH's average time in µs per decision with its 99.9% confidence
     * half-width, and bytes allocated per decision.
     */
    record Figure(String benchmark, int candidates, double micros, double error, double bytesPerOp) {
    }

    private RouterFigures() {
    }

    static List<Figure> run(Plan plan, String jmhJson) throws RunnerException {
        Options options = new OptionsBuilder()
                .include(RouterBenchmark.class.getName() + "\\.")
                .param("candidates", plan.routerCandidates().stream().map(String::valueOf).toArray(String[]::new))
                .warmupIterations(plan.jmhWarmups())
                .warmupTime(TimeValue.milliseconds(plan.jmhIteration().toMillis()))
                .measurementIterations(plan.jmhMeasurements())
                .measurementTime(TimeValue.milliseconds(plan.jmhIteration().toMillis()))
                .forks(plan.jmhForks())
                .addProfiler(GCProfiler.class)
                .result(jmhJson)
                .resultFormat(ResultFormatType.JSON)
                .build();
        Collection<RunResult> results = new Runner(options,
                OutputFormatFactory.createFormatInstance(System.err, VerboseMode.NORMAL)).run();
        List<Figure> figures = new ArrayList<>();
        for (RunResult run : results) {
            String benchmark = run.getParams().getBenchmark();
            Result<?> primary = run.getPrimaryResult();
            Result<?> allocated = run.getSecondaryResults().get("gc.alloc.rate.norm");
            figures.add(new Figure(benchmark.substring(benchmark.lastIndexOf('.') + 1),
                    Integer.parseInt(run.getParams().getParam("candidates")), primary.getScore(),
                    primary.getScoreError(), allocated == null ? Double.NaN : allocated.getScore()));
        }
        return figures;
    }
}
