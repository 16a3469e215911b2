package io.switchboard.bench;

import com.github.kagkarlsson.scheduler.Scheduler;
import com.github.kagkarlsson.scheduler.SchedulerClient;
import com.github.kagkarlsson.scheduler.SchedulerName;
import com.github.kagkarlsson.scheduler.event.AbstractSchedulerListener;
import com.github.kagkarlsson.scheduler.jdbc.SqliteJdbcCustomization;
import com.github.kagkarlsson.scheduler.task.ExecutionComplete;
import com.github.kagkarlsson.scheduler.task.TaskInstance;
import com.github.kagkarlsson.scheduler.task.helper.OneTimeTask;
import com.github.kagkarlsson.scheduler.task.helper.Tasks;
import com.zaxxer.hikari.HikariConfig;
import com.zaxxer.hikari.HikariDataSource;
import io.switchboard.store.internal.SqliteConnection;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

/**
 * db-scheduler executing no-op one-time tasks on a SQLite database: the reference for durable tasks per
 * second. Its table lives in the same file as the store's; its connections have the store's pragmas (WAL,
 * {@code synchronous=NORMAL}, a five-second busy timeout), pooled by HikariCP as db-scheduler expects.
 *
 * <p>SQLite has no {@code SELECT … FOR UPDATE SKIP LOCKED}, so db-scheduler polls with its default strategy
 * (fetch the due executions, then pick each with an optimistic {@code UPDATE … WHERE version = ?}), through its
 * own {@link SqliteJdbcCustomization} (timestamps kept in UTC). A one-time task that completes is deleted.
 */
final class DbSchedulerReference implements AutoCloseable {
    /** The table; the columns are db-scheduler's. */
    static final String TABLE = "scheduled_tasks";
    private static final List<String> SCHEMA = List.of("""
            CREATE TABLE IF NOT EXISTS scheduled_tasks (
                task_name TEXT NOT NULL,
                task_instance TEXT NOT NULL,
                task_data BLOB,
                execution_time TIMESTAMP NOT NULL,
                picked BOOLEAN NOT NULL,
                picked_by TEXT,
                last_success TIMESTAMP,
                last_failure TIMESTAMP,
                consecutive_failures INT,
                last_heartbeat TIMESTAMP,
                version BIGINT NOT NULL,
                priority SMALLINT,
                PRIMARY KEY (task_name, task_instance))""",
            "CREATE INDEX IF NOT EXISTS scheduled_tasks_execution_time ON scheduled_tasks (execution_time)",
            "CREATE INDEX IF NOT EXISTS scheduled_tasks_last_heartbeat ON scheduled_tasks (last_heartbeat)",
            "CREATE INDEX IF NOT EXISTS scheduled_tasks_priority_execution_time "
                    + "ON scheduled_tasks (priority DESC, execution_time ASC)");
    private static final String TASK_NAME = "bench-noop";

    /**
     * One round: N executions scheduled in one batch while no scheduler runs, then a scheduler started and
     * timed until every one has completed (its completion, the row's deletion, committed).
     */
    record Round(int tasks, double scheduledPerSecond, double executedPerSecond, double cpuMicros) {
    }

    private final HikariDataSource dataSource;
    private final int threads;
    private final Duration pollingInterval;
    private final AtomicInteger completed = new AtomicInteger();
    private volatile CountDownLatch allDone = new CountDownLatch(0);
    private final OneTimeTask<Void> task = Tasks.oneTime(TASK_NAME).execute((instance, context) -> {
    });
    private int rounds;

    DbSchedulerReference(String sqliteUrl, int threads, Duration pollingInterval) throws SQLException {
        this.threads = threads;
        this.pollingInterval = pollingInterval;
        SQLiteConfig config = new SQLiteConfig();
        config.setJournalMode(SQLiteConfig.JournalMode.WAL);
        config.setSynchronous(SQLiteConfig.SynchronousMode.NORMAL);
        config.setBusyTimeout(SqliteConnection.BUSY_TIMEOUT_MILLIS);
        SQLiteDataSource sqlite = new SQLiteDataSource(config);
        sqlite.setUrl(sqliteUrl);
        HikariConfig pool = new HikariConfig();
        pool.setDataSource(sqlite);
        // Every scheduler thread, the poller, the heartbeats, and one to spare.
        pool.setMaximumPoolSize(threads + 3);
        pool.setPoolName("db-scheduler-bench");
        this.dataSource = new HikariDataSource(pool);
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement()) {
            for (String sql : SCHEMA) {
                statement.execute(sql);
            }
        }
    }

    int threads() {
        return threads;
    }

    /** Schedules {@code tasks} executions due now, then runs a scheduler until all have completed. */
    Round round(int tasks) throws InterruptedException, SQLException {
        int round = ++rounds;
        List<TaskInstance<?>> instances = new ArrayList<>(tasks);
        for (int i = 0; i < tasks; i++) {
            instances.add(task.instance("r" + round + "-" + i));
        }
        SchedulerClient client = SchedulerClient.Builder.create(dataSource, task)
                .jdbcCustomization(new SqliteJdbcCustomization()).build();
        long scheduling = System.nanoTime();
        client.scheduleBatch(instances, Instant.now());
        double scheduledPerSecond = tasks / ((System.nanoTime() - scheduling) / 1e9);

        completed.set(0);
        allDone = new CountDownLatch(tasks);
        Scheduler scheduler = Scheduler.create(dataSource, task)
                .threads(threads)
                .pollingInterval(pollingInterval)
                .jdbcCustomization(new SqliteJdbcCustomization())
                .schedulerName(new SchedulerName.Fixed("bench"))
                .addSchedulerListener(new AbstractSchedulerListener() {
                    @Override
                    public void onExecutionComplete(ExecutionComplete complete) {
                        completed.incrementAndGet();
                        allDone.countDown();
                    }
                })
                .shutdownMaxWait(Duration.ofSeconds(5))
                .build();
        long cpuStart = ExecutionThroughput.cpuNanos();
        long start = System.nanoTime();
        scheduler.start();
        boolean finished = allDone.await(10, TimeUnit.MINUTES);
        long end = System.nanoTime();
        long cpu = ExecutionThroughput.cpuNanos() - cpuStart;
        scheduler.stop();
        long left = rowsLeft();
        if (!finished || left != 0) {
            throw new IllegalStateException("db-scheduler completed " + completed.get() + " of " + tasks
                    + " executions; " + left + " rows are left in " + TABLE);
        }
        return new Round(tasks, scheduledPerSecond, tasks / ((end - start) / 1e9), cpu / 1e3 / tasks);
    }

    private long rowsLeft() throws SQLException {
        try (Connection connection = dataSource.getConnection(); Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT count(*) FROM " + TABLE)) {
            rows.next();
            return rows.getLong(1);
        }
    }

    @Override
    public void close() {
        dataSource.close();
    }
}
