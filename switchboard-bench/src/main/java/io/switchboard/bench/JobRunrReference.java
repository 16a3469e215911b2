package io.switchboard.bench;

import static org.jobrunr.server.BackgroundJobServerConfiguration.usingStandardBackgroundJobServerConfiguration;

import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.jobrunr.configuration.JobRunr;
import org.jobrunr.jobs.Job;
import org.jobrunr.jobs.filters.ApplyStateFilter;
import org.jobrunr.jobs.lambdas.JobRequest;
import org.jobrunr.jobs.lambdas.JobRequestHandler;
import org.jobrunr.jobs.states.JobState;
import org.jobrunr.jobs.states.StateName;
import org.jobrunr.scheduling.JobRequestScheduler;
import org.jobrunr.server.BackgroundJobServer;
import org.jobrunr.server.JobActivator;
import org.jobrunr.storage.sql.postgres.PostgresStorageProvider;
import org.jobrunr.utils.mapper.jackson.JacksonJsonMapper;

/**
 * JobRunr with its PostgreSQL storage provider: the reference for a background-job library dispatching to workers
 * on PostgreSQL. Its tables are created by JobRunr itself in a schema of their own; jobs are {@link JobRequest}s
 * (no lambda analysis), serialised with Jackson.
 *
 * <p>Each round, a background job server with {@code workers} workers and JobRunr's shortest poll interval for a
 * SQL store ({@value #POLL_SECONDS} s; it refuses less) is started; one thread enqueues no-op jobs: one at a time,
 * one {@link JobRequestScheduler#enqueue(JobRequest)} (a committed {@code INSERT}) a job; in bulk, one
 * {@link JobRequestScheduler#enqueue(java.util.stream.Stream)} (a batch of {@code INSERT}s, one transaction) per
 * {@link DistributedThroughput#BATCH} jobs. The round ends when every job has reached {@code SUCCEEDED} (a filter
 * called after the state is saved), and the table is checked for them.
 *
 * <p>A server looks for enqueued jobs when it polls and whenever a worker becomes free, so jobs enqueued while all
 * of its workers are idle wait for the next poll: up to {@value #POLL_SECONDS} s.
 */
final class JobRunrReference implements DistributedLeg {
    static final String NAME = "JobRunr";
    /** The least JobRunr accepts for a SQL storage provider. */
    static final int POLL_SECONDS = 5;

    private final HikariDataSource dataSource;
    private final int workers;
    private final JobRequestScheduler scheduler;
    private final BackgroundJobServer server;
    private final NoOpHandler handler = new NoOpHandler(this);
    private volatile Tally tally;

    /**
     * @param postgresUrl a schema of its own on the server, where JobRunr creates its tables (the schema is dropped
     *     by whoever made it)
     */
    JobRunrReference(String postgresUrl, int workers) {
        this.workers = workers;
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(postgresUrl);
        // The workers, the server's steward and zookeeper tasks, the enqueuing thread, and one to spare.
        pool.setMaximumPoolSize(workers + 4);
        pool.setPoolName("jobrunr");
        this.dataSource = new HikariDataSource(pool);
        try {
            JobActivator activator = new JobActivator() {
                @Override
                public <T> T activateJob(Class<T> type) {
                    return type == NoOpHandler.class ? type.cast(handler) : null;
                }
            };
            ApplyStateFilter succeeded = new ApplyStateFilter() {
                @Override
                public void onStateApplied(Job job, JobState oldState, JobState newState) {
                    if (newState.getName() == StateName.SUCCEEDED) {
                        tally.completed();
                    }
                }
            };
            var configured = JobRunr.configure()
                    .useJsonMapper(new JacksonJsonMapper())
                    .useStorageProvider(new PostgresStorageProvider(dataSource))
                    .useJobActivator(activator)
                    .withJobFilter(succeeded)
                    .useBackgroundJobServer(usingStandardBackgroundJobServerConfiguration()
                            .andWorkerCount(workers)
                            .andPollInterval(Duration.ofSeconds(POLL_SECONDS)), false)
                    .initialize();
            this.scheduler = configured.getJobRequestScheduler();
            this.server = configured.getBackgroundJobServer();
        } catch (RuntimeException e) {
            dataSource.close();
            throw e;
        }
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return "%d workers, polling every %d s; in bulk, enqueue of a stream of %d".formatted(workers, POLL_SECONDS,
                DistributedThroughput.BATCH);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        int batch = submission == Submission.BULK ? DistributedThroughput.BATCH : 1;
        Tally current = new Tally(tasks, submission);
        tally = current;
        server.start();
        Round result;
        try {
            for (int first = 0; first < tasks; first += batch) {
                int end = Math.min(tasks, first + batch);
                if (batch == 1) {
                    current.submitting(first);
                    scheduler.enqueue(new NoOp(first));
                    continue;
                }
                List<NoOp> jobs = new ArrayList<>(end - first);
                for (int i = first; i < end; i++) {
                    jobs.add(new NoOp(i));
                    current.submitting(i);
                }
                scheduler.enqueue(jobs.stream());
            }
            current.submittedAll();
            result = current.await(NAME, submission);
        } finally {
            server.stop();
        }
        long succeeded = count("SELECT count(*) FROM jobrunr_jobs WHERE state = 'SUCCEEDED'");
        if (succeeded != tasks) {
            throw new IllegalStateException(NAME + ": " + succeeded + " jobs in jobrunr_jobs are SUCCEEDED, after "
                    + tasks + " were counted");
        }
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            statement.execute("DELETE FROM jobrunr_jobs");
        }
        DistributedThroughput.vacuum(dataSource, "jobrunr_jobs");
        return result;
    }

    private long count(String sql) throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery(sql)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() {
        try {
            JobRunr.destroy();
        } finally {
            dataSource.close();
        }
    }

    /** A job that does nothing; its number is what the round's tally knows it by. */
    public static final class NoOp implements JobRequest {
        private int index;

        /** For JobRunr's JSON mapper. */
        NoOp() {
        }

        NoOp(int index) {
            this.index = index;
        }

        int index() {
            return index;
        }

        @Override
        public Class<NoOpHandler> getJobRequestHandler() {
            return NoOpHandler.class;
        }
    }

    /** Runs a {@link NoOp}: notes its start and returns. */
    public static final class NoOpHandler implements JobRequestHandler<NoOp> {
        private final JobRunrReference reference;

        NoOpHandler(JobRunrReference reference) {
            this.reference = reference;
        }

        @Override
        public void run(NoOp job) {
            reference.tally.started(job.index());
        }
    }
}
