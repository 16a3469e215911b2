package io.switchboard.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.PostgreSqlJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * db-scheduler on PostgreSQL with its {@code lock-and-fetch} polling strategy: one statement picks a batch of due
 * executions ({@code UPDATE … WHERE … IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING …}), and each completed
 * one-time task is deleted. The reference for a database-backed scheduler dispatching to workers on PostgreSQL.
 *
 * <p>Each round, a scheduler is started with {@code threads} executor threads and a short polling interval; one
 * thread schedules no-op one-time tasks due now, through a client of its own as another process would: one at a
 * time, one {@link SchedulerClient#scheduleIfNotExists} (a {@code SELECT} for an existing execution, then an
 * auto-committed {@code INSERT}) a task; in bulk, one {@link SchedulerClient#scheduleBatch} (a JDBC batch of
 * {@code INSERT}s, one transaction) per {@link DistributedThroughput#BATCH} tasks. The round ends when the
 * scheduler has completed every one (its listener's {@code onExecutionComplete}, after the row's deletion), and the
 * table is checked empty.
 */
final class DbSchedulerLockAndFetch implements DistributedLeg {
    static final String NAME = "db-scheduler";
    /**
     * db-scheduler's suggestion "for high throughput (i.e. keep threads busy)": fetch again when no more executions
     * are waiting than there are threads, up to four per thread.
     */
    static final double LOWER_LIMIT_FRACTION_OF_THREADS = 1.0;
    static final double UPPER_LIMIT_FRACTION_OF_THREADS = 4.0;
    /** db-scheduler's table for PostgreSQL, as its documentation gives it. */
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE scheduled_tasks (
                task_name TEXT NOT NULL,
                task_instance TEXT NOT NULL,
                task_data BYTEA,
                execution_time TIMESTAMP WITH TIME ZONE NOT NULL,
                picked BOOLEAN NOT NULL,
                picked_by TEXT,
                last_success TIMESTAMP WITH TIME ZONE,
                last_failure TIMESTAMP WITH TIME ZONE,
                consecutive_failures INT,
                last_heartbeat TIMESTAMP WITH TIME ZONE,
                version BIGINT NOT NULL,
                priority SMALLINT,
                PRIMARY KEY (task_name, task_instance))""",
            "CREATE INDEX execution_time_idx ON scheduled_tasks (execution_time)",
            "CREATE INDEX last_heartbeat_idx ON scheduled_tasks (last_heartbeat)",
            "CREATE INDEX priority_execution_time_idx ON scheduled_tasks (priority DESC, execution_time ASC)");
    private static final String TASK_NAME = "bench-noop";

    private final HikariDataSource dataSource;
    private final int threads;
    private final Duration pollingInterval;
    private volatile Tally tally;
    private final OneTimeTask<Void> task = Tasks.oneTime(TASK_NAME)
            .execute((instance, context) -> tally.started(index(instance.getId())));
    private final SchedulerClient client;
    private int rounds;

    /**
     * @param postgresUrl a schema of its own on the server, where the table is created (the schema is dropped by
     *     whoever made it)
     */
    DbSchedulerLockAndFetch(String postgresUrl, int threads, Duration pollingInterval) throws SQLException {
        this.threads = threads;
        this.pollingInterval = pollingInterval;
        HikariConfig pool = new HikariConfig();
        pool.setJdbcUrl(postgresUrl);
        // Every executor thread, the poller, the heartbeats, the scheduling client, and one to spare.
        pool.setMaximumPoolSize(threads + 4);
        pool.setPoolName("db-scheduler-lock-and-fetch");
        this.dataSource = new HikariDataSource(pool);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : SCHEMA) {
                statement.execute(sql);
            }
        }
        this.client = SchedulerClient.Builder.create(dataSource, task).jdbcCustomization(customization()).build();
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String configuration() {
        return "lock-and-fetch (%.1f, %.1f), %d threads, polling every %d ms; in bulk, scheduleBatch of %d".formatted(
                LOWER_LIMIT_FRACTION_OF_THREADS, UPPER_LIMIT_FRACTION_OF_THREADS, threads, pollingInterval.toMillis(),
                DistributedThroughput.BATCH);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        int batch = submission == Submission.BULK ? DistributedThroughput.BATCH : 1;
        int round = ++rounds;
        Tally current = new Tally(tasks, submission);
        tally = current;
        Scheduler scheduler = Scheduler.create(dataSource, task)
                .threads(threads)
                .pollingInterval(pollingInterval)
                .pollUsingLockAndFetch(LOWER_LIMIT_FRACTION_OF_THREADS, UPPER_LIMIT_FRACTION_OF_THREADS)
                .jdbcCustomization(customization())
                .schedulerName(new SchedulerName.Fixed("bench"))
                .addSchedulerListener(new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionComplete(ExecutionComplete complete) {
                        current.completed();
                    }
                })
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        scheduler.start();
        Round result;
        try {
            for (int first = 0; first < tasks; first += batch) {
                int end = Math.min(tasks, first + batch);
                if (batch == 1) {
                    current.submitting(first);
                    if (!client.scheduleIfNotExists(task.instance(round + "-" + first), Instant.now())) {
                        throw new IllegalStateException(NAME + ": task " + round + "-" + first + " already existed");
                    }
                    continue;
                }
                List<TaskInstance<?>> instances = new ArrayList<>(end - first);
                for (int i = first; i < end; i++) {
                    instances.add(task.instance(round + "-" + i));
                    current.submitting(i);
                }
                client.scheduleBatch(instances, Instant.now());
            }
            current.submittedAll();
            result = current.await(NAME, submission);
        } finally {
            scheduler.stop();
        }
        long left = rowsLeft();
        if (left != 0) {
            throw new IllegalStateException(NAME + ": " + left + " rows are left in scheduled_tasks after "
                    + tasks + " executions completed");
        }
        DistributedThroughput.vacuum(dataSource, "scheduled_tasks");
        return result;
    }

    /** The task's number within its round, from its instance id {@code round-index}. */
    private static int index(String instanceId) {
        return Integer.parseInt(instanceId.substring(instanceId.indexOf('-') + 1));
    }

    /** PostgreSQL's, with its single-statement lock-and-fetch; timestamps as the server's time zone has them. */
    private static PostgreSqlJdbcCustomization customization() {
        return new PostgreSqlJdbcCustomization(false, false);
    }

    private long rowsLeft() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM scheduled_tasks")) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
