package io.switchboard.bench;

import io.switchboard.store.Database;
import java.sql.Array;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.stream.Stream;

/**
 * The floor under Switchboard's remote dispatch on PostgreSQL: the rows the store keeps for a task on its way through
 * an orchestrator, the relay and a worker, and nothing else, each stage's rows for a whole batch of tasks written set
 * based ({@code INSERT … SELECT … FROM unnest(…)}, {@code UPDATE … WHERE task_id = ANY(…)}) in one transaction, as
 * the protocol commits them:
 *
 * <ol>
 *   <li>the client accepts the tasks: their rows and their first transition;
 *   <li>the orchestrator starts them: a decision each (the same columns and JSON as the template's), an attempt, an
 *       outbox row, the task's move, the transitions of the start;
 *   <li>the relay takes the outbox rows (and deletes those the broker confirmed, as its next claim does);
 *   <li>a worker claims the attempts: their leases;
 *   <li>the worker reports: a result row each, the attempts marked reported;
 *   <li>the orchestrator finishes them: the attempts' outcome, the task's move, the transitions of the end, the
 *       agent's performance once a batch.
 * </ol>
 *
 * <p>Nothing is read to decide anything, nothing is routed, no JSON is built, nothing goes through RabbitMQ, and
 * nothing waits for a lease or a notice: what a dispatcher that carried whole batches through every stage this way
 * could reach at best on this server, before any of the work that makes it a dispatcher. Beside db-scheduler's rate,
 * it says how far the target is from the record itself.
 *
 * <p>The rows are copied from a task that went the whole way: the last one of the Switchboard leg's tasks to succeed
 * at its first attempt (its task row, decision, attempt, result and transitions), with the agents and their
 * performance rows, into a schema of this leg's own. Each round one thread accepts the tasks (one at a time, a
 * transaction each; in bulk, {@link DistributedThroughput#BATCH} to a transaction), and {@value #PIPELINES} threads
 * (one a core) each take whatever has been accepted, up to a batch, through every stage. A task starts when its lease
 * is committed and completes when its finish is.
 */
final class WritesAloneLeg implements DistributedLeg {
    static final String NAME = "Switchboard, writes alone";
    /** Threads carrying batches through the stages. */
    static final int PIPELINES = 2;
    private static final String PREFIX = "FLOOR-";

    private final String postgresUrl;
    private final String templateUrl;
    private final String templatePrefix;
    private final WriteFloor.Record record;
    private Template template;
    private int rounds;

    /**
     * The task whose rows are copied, by the ids its rows have in this leg's schema, with what its rows say that the
     * statements set rather than copy: the task's reasons as it starts and ends, and its orchestrator.
     */
    private record Template(String taskId, long decisionId, List<Transition> accept, List<Transition> start,
            List<Transition> end, String orchestratorId) {
        /** The reason the task's transition to {@code state} gave. */
        String reason(String state) {
            return Stream.of(start, end).flatMap(List::stream)
                    .filter(transition -> transition.attempt() == null && transition.to().equals(state))
                    .map(Transition::reason).findFirst().orElseThrow(() -> new IllegalStateException(
                            "the template task " + taskId + " has no transition to " + state));
        }
    }

    /** One of the template's transitions, for every task. */
    private record Transition(Integer attempt, String from, String to, String reason) {
    }

    /**
     * @param postgresUrl a schema of its own on the server, where the store's tables are created (dropped by whoever
     *     made it)
     * @param templateUrl the schema of the leg whose task is copied, on the same server and database
     * @param templatePrefix what that leg's task ids begin with
     */
    WritesAloneLeg(String postgresUrl, String templateUrl, String templatePrefix) {
        this(postgresUrl, templateUrl, templatePrefix, WriteFloor.Record.WHOLE);
    }

    /**
     * The same, writing only the {@code record}'s parts of a task's record: what a smaller record would allow. The
     * protocol's own rows (outbox row, lease, result) and the task's first transition (its acceptance) are always
     * written.
     */
    WritesAloneLeg(String postgresUrl, String templateUrl, String templatePrefix, WriteFloor.Record record) {
        this.postgresUrl = postgresUrl;
        this.templateUrl = templateUrl;
        this.templatePrefix = templatePrefix;
        this.record = record;
        Database.open(postgresUrl).close();
    }

    /** The leg's name with a record of its own. */
    static String name(WriteFloor.Record record) {
        return record == WriteFloor.Record.WHOLE ? NAME : NAME + ", " + record.text;
    }

    @Override
    public String name() {
        return name(record);
    }

    @Override
    public String configuration() {
        return ("the store's rows for a task alone, a stage's for a batch set-based in one transaction, up to %d a "
                + "batch, %d threads; copied from the Switchboard leg's last task")
                .formatted(DistributedThroughput.BATCH, PIPELINES);
    }

    @Override
    public Round round(int tasks, Submission submission) throws Exception {
        if (template == null) {
            template = copyTemplate();
        }
        int round = ++rounds;
        Tally tally = new Tally(tasks, submission);
        BlockingQueue<Integer> accepted = new LinkedBlockingQueue<>();
        List<Thread> pipelines = new ArrayList<>();
        List<Throwable> failures = Collections.synchronizedList(new ArrayList<>());
        for (int p = 0; p < PIPELINES; p++) {
            Thread thread = Thread.ofPlatform().name("writes-alone-" + p).start(() -> {
                try {
                    pipeline(round, accepted, tally);
                } catch (InterruptedException e) {
                    // The round is over.
                } catch (Exception | Error e) {
                    failures.add(e);
                }
            });
            pipelines.add(thread);
        }
        try (Connection connection = DriverManager.getConnection(postgresUrl)) {
            connection.setAutoCommit(false);
            int batch = submission == Submission.BULK ? DistributedThroughput.BATCH : 1;
            for (int from = 0; from < tasks; from += batch) {
                int to = Math.min(tasks, from + batch);
                for (int i = from; i < to; i++) {
                    tally.submitting(i);
                }
                accept(connection, ids(round, from, to));
                connection.commit();
                for (int i = from; i < to; i++) {
                    accepted.add(i);
                }
            }
            tally.submittedAll();
            return tally.await(name(), submission);
        } finally {
            // Every task has completed, or the round failed: either way the pipelines are done.
            for (Thread thread : pipelines) {
                thread.interrupt();
            }
            for (Thread thread : pipelines) {
                thread.join();
            }
            if (!failures.isEmpty()) {
                throw new IllegalStateException(name() + ": " + failures.getFirst(), failures.getFirst());
            }
            vacuum();
        }
    }

    private static String id(int round, int index) {
        return PREFIX + round + "-" + index;
    }

    private static List<String> ids(int round, int from, int to) {
        List<String> ids = new ArrayList<>(to - from);
        for (int i = from; i < to; i++) {
            ids.add(id(round, i));
        }
        return ids;
    }

    /** Takes accepted tasks, up to a batch at a time, through every stage, until interrupted. */
    private void pipeline(int round, BlockingQueue<Integer> accepted, Tally tally) throws Exception {
        try (Stages stages = new Stages()) {
            List<Integer> batch = new ArrayList<>(DistributedThroughput.BATCH);
            while (true) {
                batch.clear();
                batch.add(accepted.take());
                accepted.drainTo(batch, DistributedThroughput.BATCH - 1);
                List<String> ids = batch.stream().map(index -> id(round, index)).toList();
                stages.run(ids, () -> batch.forEach(tally::started));
                batch.forEach(index -> tally.completed());
            }
        }
    }

    /** The client's transaction: the tasks and their first transition. */
    private void accept(Connection connection, List<String> ids) throws SQLException {
        Array tasks = connection.createArrayOf("text", ids.toArray());
        try (PreparedStatement insert = connection.prepareStatement("""
                INSERT INTO tasks (task_id, title, work_type, task_type, pool, traits, source, created_at, updated_at,
                    state, state_reason, draft, options, plan_run)
                SELECT t, x.title, x.work_type, x.task_type, x.pool, x.traits, x.source, now(), now(), 'queued',
                    'accepted', x.draft, x.options, x.plan_run
                FROM unnest(?::text[]) t, tasks x WHERE x.task_id = ?""")) {
            insert.setArray(1, tasks);
            insert.setString(2, template.taskId());
            insert.executeUpdate();
        }
        transitions(connection, tasks, template.accept());
    }

    /** The stages after the acceptance, each on the connection of the part of Switchboard that commits it. */
    private final class Stages implements AutoCloseable {
        private final Connection orchestrator;
        private final Connection relay;
        private final Connection worker;

        Stages() throws SQLException {
            orchestrator = DriverManager.getConnection(postgresUrl);
            relay = DriverManager.getConnection(postgresUrl);
            worker = DriverManager.getConnection(postgresUrl);
            for (Connection connection : List.of(orchestrator, relay, worker)) {
                connection.setAutoCommit(false);
            }
        }

        void run(List<String> ids, Runnable leased) throws SQLException {
            start(ids);
            orchestrator.commit();
            publish(ids);
            relay.commit();
            lease(ids);
            worker.commit();
            leased.run();
            report(ids);
            worker.commit();
            finish(ids);
            orchestrator.commit();
        }

        private void start(List<String> ids) throws SQLException {
            Array tasks = orchestrator.createArrayOf("text", ids.toArray());
            List<String> decided = new ArrayList<>(ids.size());
            List<Long> decisions = new ArrayList<>(ids.size());
            if (record.decisions) {
                decide(tasks, decided, decisions);
            } else {
                decided.addAll(ids);
                ids.forEach(id -> decisions.add(null));
            }
            try (PreparedStatement insert = orchestrator.prepareStatement("""
                    INSERT INTO attempts (task_id, attempt_number, agent_id, agent_name, mode, work_type, state,
                        started_at, agent_version, decision_id, orchestrator_id, marker, packet, remote_state,
                        lease_until)
                    SELECT r.t, 1, a.agent_id, a.agent_name, a.mode, a.work_type, 'running', now(), a.agent_version,
                        r.d, a.orchestrator_id, a.marker, a.packet, 'sent', now() + interval '30 seconds'
                    FROM unnest(?::text[], ?::bigint[]) r(t, d), attempts a
                    WHERE a.task_id = ? AND a.attempt_number = 1""")) {
                insert.setArray(1, orchestrator.createArrayOf("text", decided.toArray()));
                insert.setArray(2, orchestrator.createArrayOf("bigint", decisions.toArray()));
                insert.setString(3, template.taskId());
                insert.executeUpdate();
            }
            try (PreparedStatement insert = orchestrator.prepareStatement("""
                    INSERT INTO outbox (agent, priority, message_version, task_id, attempt_number, mode, prompt,
                        deadline, created_at)
                    SELECT a.agent_name, 5, 1, t, 1, a.mode, 'Do nothing.', NULL, now()
                    FROM unnest(?::text[]) t, attempts a WHERE a.task_id = ? AND a.attempt_number = 1""")) {
                insert.setArray(1, tasks);
                insert.setString(2, template.taskId());
                insert.executeUpdate();
            }
            move(orchestrator, tasks, "running");
            if (record.transitions) {
                transitions(orchestrator, tasks, template.start());
            }
        }

        /** Each task's decision, a copy of the template's; their ids and tasks in the order inserted. */
        private void decide(Array tasks, List<String> decided, List<Long> decisions) throws SQLException {
            try (PreparedStatement insert = orchestrator.prepareStatement("""
                    INSERT INTO routing_decisions (task_id, attempt_number, work_type, pool, selected_agent_id,
                        selected_agent_name, mode, score, success_rate_pct, specialization_match, recent_context_match,
                        retried, reason, policy_name, weights, candidates, exclusions, traits, rule, propensity, seed,
                        created_at)
                    SELECT t, d.attempt_number, d.work_type, d.pool, d.selected_agent_id, d.selected_agent_name, d.mode,
                        d.score, d.success_rate_pct, d.specialization_match, d.recent_context_match, d.retried,
                        d.reason, d.policy_name, d.weights, d.candidates, d.exclusions, d.traits, d.rule, d.propensity,
                        d.seed, now()
                    FROM unnest(?::text[]) t, routing_decisions d WHERE d.id = ? RETURNING id, task_id""")) {
                insert.setArray(1, tasks);
                insert.setLong(2, template.decisionId());
                try (ResultSet rows = insert.executeQuery()) {
                    while (rows.next()) {
                        decisions.add(rows.getLong(1));
                        decided.add(rows.getString(2));
                    }
                }
            }
        }

        private void publish(List<String> ids) throws SQLException {
            try (Statement delete = relay.createStatement()) {
                delete.executeUpdate("DELETE FROM outbox WHERE claimed_by = 'writes-alone'");
            }
            try (PreparedStatement claim = relay.prepareStatement("""
                    UPDATE outbox SET claimed_by = 'writes-alone', claimed_until = now() + interval '1 minute',
                        publish_attempts = publish_attempts + 1, last_published_at = now()
                    WHERE id IN (SELECT id FROM outbox WHERE claimed_by IS NULL AND task_id = ANY(?) ORDER BY id
                        FOR UPDATE SKIP LOCKED)
                    RETURNING id, agent, priority, message_version, task_id, attempt_number, mode, prompt,
                        deadline""")) {
                claim.setArray(1, relay.createArrayOf("text", ids.toArray()));
                try (ResultSet rows = claim.executeQuery()) {
                    int claimed = 0;
                    while (rows.next()) {
                        claimed++;
                    }
                    if (claimed != ids.size()) {
                        throw new IllegalStateException("the relay claimed " + claimed + " of " + ids.size()
                                + " outbox rows");
                    }
                }
            }
        }

        private void lease(List<String> ids) throws SQLException {
            try (PreparedStatement lease = worker.prepareStatement("""
                    UPDATE attempts SET remote_state = 'claimed', lease_worker = 'writes-alone',
                        lease_until = now() + interval '30 seconds'
                    WHERE task_id = ANY(?) AND attempt_number = 1 AND remote_state = 'sent'
                    RETURNING orchestrator_id""")) {
                lease.setArray(1, worker.createArrayOf("text", ids.toArray()));
                try (ResultSet rows = lease.executeQuery()) {
                    while (rows.next()) {
                        rows.getString(1);
                    }
                }
            }
        }

        private void report(List<String> ids) throws SQLException {
            Array tasks = worker.createArrayOf("text", ids.toArray());
            try (PreparedStatement insert = worker.prepareStatement("""
                    INSERT INTO attempt_results (task_id, attempt_number, worker_id, accepted, reason, reported_at,
                        failure_type, failure_message, non_retryable, failure_detail, reset_at, exit_code, duration_ms,
                        input_tokens, output_tokens, cost, session_id, summary, agent_version, stdout, stdout_bytes,
                        stdout_truncated, stderr, stderr_bytes, stderr_truncated)
                    SELECT t, 1, r.worker_id, r.accepted, r.reason, now(), r.failure_type, r.failure_message,
                        r.non_retryable, r.failure_detail, r.reset_at, r.exit_code, r.duration_ms, r.input_tokens,
                        r.output_tokens, r.cost, r.session_id, r.summary, r.agent_version, r.stdout, r.stdout_bytes,
                        r.stdout_truncated, r.stderr, r.stderr_bytes, r.stderr_truncated
                    FROM unnest(?::text[]) t, attempt_results r
                    WHERE r.task_id = ? AND r.attempt_number = 1 AND r.accepted""")) {
                insert.setArray(1, tasks);
                insert.setString(2, template.taskId());
                insert.executeUpdate();
            }
            try (PreparedStatement reported = worker.prepareStatement("""
                    UPDATE attempts SET remote_state = 'reported'
                    WHERE task_id = ANY(?) AND attempt_number = 1 AND remote_state = 'claimed'
                        AND lease_worker = 'writes-alone'""")) {
                reported.setArray(1, tasks);
                reported.executeUpdate();
            }
        }

        private void finish(List<String> ids) throws SQLException {
            Array tasks = orchestrator.createArrayOf("text", ids.toArray());
            try (PreparedStatement finish = orchestrator.prepareStatement("""
                    UPDATE attempts a SET state = x.state, finished_at = now(), failure_type = x.failure_type,
                        failure_message = x.failure_message, non_retryable = x.non_retryable,
                        failure_detail = x.failure_detail, reset_at = x.reset_at, duration_ms = x.duration_ms,
                        input_tokens = x.input_tokens, output_tokens = x.output_tokens, cost = x.cost,
                        exit_code = x.exit_code, session_id = x.session_id, output = x.output,
                        verify_output = x.verify_output, difficulty = x.difficulty, agent_version = x.agent_version,
                        answer = x.answer, workspace_branch = x.workspace_branch,
                        workspace_commit = x.workspace_commit, workspace_copy = x.workspace_copy,
                        changed_files = x.changed_files, diff_stat = x.diff_stat, remote_state = x.remote_state,
                        lease_worker = x.lease_worker, lease_until = x.lease_until
                    FROM attempts x
                    WHERE x.task_id = ? AND x.attempt_number = 1 AND a.task_id = ANY(?) AND a.attempt_number = 1""")) {
                finish.setString(1, template.taskId());
                finish.setArray(2, tasks);
                finish.executeUpdate();
            }
            move(orchestrator, tasks, "succeeded");
            if (record.transitions) {
                transitions(orchestrator, tasks, template.end());
            }
            try (PreparedStatement performance = orchestrator.prepareStatement("""
                    UPDATE agent_performance SET success_count = success_count + ?,
                        decayed_successes = decayed_successes + ?, decayed_at = now(), last_execution = now()
                    WHERE agent_id = (SELECT agent_id FROM attempts WHERE task_id = ? AND attempt_number = 1)
                        AND work_type = (SELECT work_type FROM attempts WHERE task_id = ? AND attempt_number = 1)""")) {
                performance.setInt(1, ids.size());
                performance.setDouble(2, ids.size());
                performance.setString(3, template.taskId());
                performance.setString(4, template.taskId());
                performance.executeUpdate();
            }
        }

        @Override
        public void close() throws SQLException {
            for (Connection connection : List.of(orchestrator, relay, worker)) {
                connection.close();
            }
        }
    }

    /** The task's move, with the template's reason for it; claimed by the orchestrator while it runs. */
    private void move(Connection connection, Array tasks, String state) throws SQLException {
        try (PreparedStatement move = connection.prepareStatement("""
                UPDATE tasks SET state = ?, state_reason = ?, state_changed_at = now(), updated_at = now(),
                    claimed_by = ?
                WHERE task_id = ANY(?)""")) {
            move.setString(1, state);
            move.setString(2, template.reason(state));
            move.setString(3, state.equals("running") ? template.orchestratorId() : null);
            move.setArray(4, tasks);
            move.executeUpdate();
        }
    }

    /** Each of the template's transitions, for every task. */
    private static void transitions(Connection connection, Array tasks, List<Transition> transitions)
            throws SQLException {
        if (transitions.isEmpty()) {
            return;
        }
        StringBuilder values = new StringBuilder();
        for (int i = 0; i < transitions.size(); i++) {
            values.append(i == 0 ? "" : ", ").append("(?::int, ?, ?, ?, ").append(i).append(")");
        }
        try (PreparedStatement insert = connection.prepareStatement("INSERT INTO transitions (task_id, attempt_number, "
                + "from_state, to_state, reason, at) SELECT t, x.n, x.f, x.s, x.r, now() FROM unnest(?::text[]) "
                + "WITH ORDINALITY u(t, o) CROSS JOIN (VALUES " + values + ") x(n, f, s, r, k) ORDER BY u.o, x.k")) {
            int p = 1;
            insert.setArray(p++, tasks);
            for (Transition transition : transitions) {
                insert.setObject(p++, transition.attempt());
                insert.setString(p++, transition.from());
                insert.setString(p++, transition.to());
                insert.setString(p++, transition.reason());
            }
            insert.executeUpdate();
        }
    }

    /**
     * Copies the template leg's agents, their performance, and its last task to succeed at its first attempt with
     * that attempt's decision, result and transitions, into this leg's schema.
     */
    private Template copyTemplate() throws SQLException {
        String source;
        try (Connection connection = DriverManager.getConnection(templateUrl);
                Statement statement = connection.createStatement();
                ResultSet rows = statement.executeQuery("SELECT current_schema()")) {
            rows.next();
            source = rows.getString(1);
        }
        try (Connection connection = DriverManager.getConnection(postgresUrl)) {
            connection.setAutoCommit(false);
            String task = single(connection, "SELECT a.task_id FROM " + source + ".attempts a JOIN " + source
                    + ".attempt_results r ON r.task_id = a.task_id AND r.attempt_number = 1 AND r.accepted"
                    + " WHERE a.task_id LIKE ? AND a.attempt_number = 1 AND a.state = 'succeeded'"
                    + " ORDER BY a.finished_at DESC LIMIT 1", templatePrefix + "%");
            if (task == null) {
                throw new IllegalStateException(NAME + ": no task of " + templatePrefix + " succeeded at its first "
                        + "attempt yet: nothing to copy");
            }
            try (Statement statement = connection.createStatement()) {
                statement.execute("INSERT INTO agent_registry SELECT * FROM " + source + ".agent_registry");
                statement.execute("INSERT INTO agent_performance SELECT * FROM " + source + ".agent_performance");
            }
            for (String table : List.of("tasks", "transitions", "attempt_results")) {
                try (PreparedStatement copy = connection.prepareStatement("INSERT INTO " + table + " SELECT * FROM "
                        + source + "." + table + " WHERE task_id = ?")) {
                    copy.setString(1, task);
                    copy.executeUpdate();
                }
            }
            String decision = single(connection, "INSERT INTO routing_decisions SELECT * FROM " + source
                    + ".routing_decisions WHERE id = (SELECT decision_id FROM " + source + ".attempts"
                    + " WHERE task_id = ? AND attempt_number = 1) RETURNING id", task);
            try (PreparedStatement copy = connection.prepareStatement("INSERT INTO attempts SELECT * FROM " + source
                    + ".attempts WHERE task_id = ? AND attempt_number = 1")) {
                copy.setString(1, task);
                copy.executeUpdate();
            }
            try (Statement statement = connection.createStatement()) {
                // The copied ids are the template leg's: the sequences go on past them.
                statement.execute("SELECT setval(pg_get_serial_sequence('routing_decisions', 'id'), "
                        + "(SELECT max(id) FROM routing_decisions))");
                statement.execute("SELECT setval(pg_get_serial_sequence('transitions', 'id'), "
                        + "(SELECT max(id) FROM transitions))");
                statement.execute("SELECT setval(pg_get_serial_sequence('attempt_results', 'id'), "
                        + "(SELECT max(id) FROM attempt_results))");
            }
            List<Transition> accept = new ArrayList<>();
            List<Transition> start = new ArrayList<>();
            List<Transition> end = new ArrayList<>();
            try (PreparedStatement read = connection.prepareStatement("SELECT attempt_number, from_state, to_state,"
                    + " reason FROM transitions WHERE task_id = ? ORDER BY id")) {
                read.setString(1, task);
                try (ResultSet rows = read.executeQuery()) {
                    while (rows.next()) {
                        int number = rows.getInt(1);
                        Transition transition = new Transition(rows.wasNull() ? null : number, rows.getString(2),
                                rows.getString(3), rows.getString(4));
                        boolean ending = transition.to().equals("succeeded");
                        (accept.isEmpty() ? accept : ending ? end : start).add(transition);
                    }
                }
            }
            String orchestrator = single(connection, "SELECT orchestrator_id FROM attempts WHERE task_id = ?"
                    + " AND attempt_number = 1", task);
            connection.commit();
            return new Template(task, Long.parseLong(decision), accept, start, end, orchestrator);
        }
    }

    private static String single(Connection connection, String sql, String parameter) throws SQLException {
        try (PreparedStatement statement = connection.prepareStatement(sql)) {
            statement.setString(1, parameter);
            try (ResultSet rows = statement.executeQuery()) {
                return rows.next() ? rows.getString(1) : null;
            }
        }
    }

    /** {@code VACUUM ANALYZE}s the schema's tables, outside the timing, as the Switchboard leg's are. */
    private void vacuum() throws SQLException {
        try (Connection connection = DriverManager.getConnection(postgresUrl);
                Statement statement = connection.createStatement()) {
            List<String> tables = new ArrayList<>();
            try (ResultSet rows = statement.executeQuery(
                    "SELECT tablename FROM pg_tables WHERE schemaname = current_schema()")) {
                while (rows.next()) {
                    tables.add(rows.getString(1));
                }
            }
            for (String table : tables) {
                statement.execute("VACUUM ANALYZE " + table);
            }
        }
    }

    @Override
    public void close() {
        // The schema and everything in it is dropped by whoever made it.
    }
}
