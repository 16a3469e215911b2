package io.switchboard.testkit.agent;

import static java.nio.file.StandardCopyOption.REPLACE_EXISTING;

import io.switchboard.core.execution.RunRequest;
import java.io.BufferedOutputStream;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.lang.invoke.MethodHandle;
import java.lang.reflect.Array;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.net.URISyntaxException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;

/**
 * A stand-in agent CLI for process tests: a real program, started as a real subprocess, that does what its
 * arguments say, so that every way an agent can behave (and misbehave) can be reproduced exactly. It uses the
 * JDK only and loads no other class of this module, so its classpath is just this module's classes.
 *
 * <p>{@link #command(String...)} gives the argv that runs it. The arguments are a list of steps run in order;
 * each step is a name followed by its parameters, one argument each (so a parameter may hold spaces, and an
 * argument that is exactly {@code {prompt_file}} can be replaced by a runner). When the steps run out the
 * agent exits 0. Standard output is flushed after every step, and written as UTF-8 whatever the locale.
 *
 * <table>
 * <caption>Steps</caption>
 * <tr><th>step</th><th>what it does</th></tr>
 * <tr><td>{@code ok}</td><td>prints {@code ok} and exits 0</td></tr>
 * <tr><td>{@code exit N}</td><td>exits with status N</td></tr>
 * <tr><td>{@code signal NAME}</td><td>kills itself with the signal ({@code TERM}, {@code KILL}, {@code SEGV},
 *     {@code ABRT}, …, with or without {@code SIG}); the JVM's own handler is put back to the default first,
 *     so the process really dies by that signal (a JVM would otherwise turn SEGV into an abort and TERM
 *     into exit status 143)</td></tr>
 * <tr><td>{@code sleep MILLIS}</td><td>waits, printing nothing</td></tr>
 * <tr><td>{@code stdin-to FILE}</td><td>copies all of standard input, to its end, byte for byte into FILE</td></tr>
 * <tr><td>{@code ignore-stdin}</td><td>does nothing: says that this agent never reads its input</td></tr>
 * <tr><td>{@code read-stdin-forever}</td><td>reads standard input to its end, then waits, printing nothing,
 *     until it is killed (a CLI stuck waiting for more input)</td></tr>
 * <tr><td>{@code drip N MILLIS}</td><td>prints N lines {@code drip i/N}, one every MILLIS</td></tr>
 * <tr><td>{@code flood BYTES}</td><td>writes BYTES bytes to standard output, fast, in 1 MiB writes of 1 KiB
 *     lines ({@value #FLOOD_LINE_START} then {@code x}s); the last line may be cut short</td></tr>
 * <tr><td>{@code flood-stderr BYTES}</td><td>the same on standard error</td></tr>
 * <tr><td>{@code huge-line BYTES}</td><td>writes BYTES bytes {@code y} with no line end, then one {@code \n}</td></tr>
 * <tr><td>{@code binary BYTES}</td><td>writes BYTES random bytes (not UTF-8) from a generator seeded with
 *     {@value #BINARY_SEED}, so a test can regenerate them</td></tr>
 * <tr><td>{@code grandchild MILLIS}</td><td>starts a child (another fake agent that sleeps MILLIS) that
 *     inherits standard output and error, prints {@code grandchild PID}, and the agent exits 0 at once</td></tr>
 * <tr><td>{@code spawn MILLIS}</td><td>starts a child (another fake agent that sleeps MILLIS) that writes
 *     nowhere, prints {@code child PID}, and goes on</td></tr>
 * <tr><td>{@code unmark}</td><td>children started after this one do not get the marker variable (so only
 *     the process group, or parentage, can find them)</td></tr>
 * <tr><td>{@code double-fork MILLIS}</td><td>starts a descendant in a new session through {@code setsid}, so
 *     it leaves the agent's process group; it keeps the environment (and so the marker variable, unless
 *     {@code unmark} came first) and the agent's standard output and error open, and sleeps MILLIS; prints
 *     {@code descendant PID} and goes on</td></tr>
 * <tr><td>{@code ignore-term}</td><td>from now on a SIGTERM only prints {@code ignored SIGTERM}</td></tr>
 * <tr><td>{@code print-env NAME}</td><td>prints the variable's value (an empty line when it is not set)</td></tr>
 * <tr><td>{@code env-to FILE}</td><td>writes the whole environment to FILE, each {@code NAME=value} followed by
 *     a NUL byte, sorted by name</td></tr>
 * <tr><td>{@code cmdline-to FILE}</td><td>copies {@code /proc/self/cmdline} (every argument, each followed by a
 *     NUL byte) into FILE</td></tr>
 * <tr><td>{@code print TEXT}</td><td>prints TEXT and a line end</td></tr>
 * <tr><td>{@code print-part TEXT}</td><td>prints TEXT with no line end, flushed</td></tr>
 * <tr><td>{@code stderr TEXT}</td><td>prints TEXT and a line end on standard error</td></tr>
 * <tr><td>{@code emit-resource NAME}</td><td>copies the classpath resource {@value #RESOURCES}NAME to standard
 *     output; exits {@value #EXIT_NO_INPUT} with a message on standard error when there is none</td></tr>
 * <tr><td>{@code write FILE TEXT}</td><td>writes TEXT into FILE (relative paths are in the working
 *     directory)</td></tr>
 * <tr><td>{@code copy FROM TO}</td><td>copies file FROM to TO (for a prompt handed over in a file)</td></tr>
 * <tr><td>{@code describe-file FILE}</td><td>prints {@code file PATH PERMISSIONS dir PERMISSIONS}: the file's
 *     absolute path, its POSIX permissions and its folder's</td></tr>
 * <tr><td>{@code fail-if-exists FILE N}</td><td>exits N when FILE exists, else goes on</td></tr>
 * <tr><td>{@code delete FILE}</td><td>deletes FILE if it exists</td></tr>
 * <tr><td>{@code wait-for FILE MILLIS}</td><td>waits until FILE exists (looking every 10 ms); exits
 *     {@value #EXIT_WAITED_IN_VAIN} with a message on standard error when it does not within MILLIS (two agents
 *     meeting prove they ran at the same time)</td></tr>
 * <tr><td>{@code wait-at-most FILE MILLIS}</td><td>the same, but goes on when FILE does not appear</td></tr>
 * <tr><td>{@code count FILE}</td><td>adds one to the number in FILE (0 when there is no FILE), holding a lock on
 *     it so that runs in parallel count one each; the result is this run's number for the steps below</td></tr>
 * <tr><td>{@code print-from-run N TEXT OTHER}</td><td>prints TEXT when this run's number is N or more, else OTHER
 *     (a reviewer that approves from its Nth run: {@code VERDICT: APPROVED} and
 *     {@code VERDICT: CHANGES_REQUESTED})</td></tr>
 * <tr><td>{@code sleep-on-run N MILLIS}</td><td>waits, printing nothing, when this run's number is N (an agent
 *     that hangs the first time only)</td></tr>
 * </table>
 *
 * <p>The last three need {@code count} to come first; without it they are a usage error.
 *
 * <p>One option may come before the steps: {@code --log FILE} appends one line per run to FILE,
 * {@code marker=VALUE pid=PID steps=…} (the marker is the {@value #MARKER_VARIABLE} variable, {@code -} when
 * unset), in a single write to a file opened for appending, so that runs in parallel never interleave.
 *
 * <p>A malformed command line exits {@value #EXIT_USAGE}; a missing program ({@code setsid}, {@code kill})
 * {@value #EXIT_UNAVAILABLE}; an I/O error {@value #EXIT_IO}; each with a line on standard error.
 */
public final class FakeAgent {
    /** Where {@code emit-resource} looks for recorded agent output. */
    public static final String RESOURCES = "/io/switchboard/testkit/agent-output/";
    /**
     * The variable the runner marks an attempt's processes with. A compile-time constant, copied into this
     * class by javac, so the fake agent still loads no class but its own.
     */
    public static final String MARKER_VARIABLE = RunRequest.MARKER_VARIABLE;
    /** What every line {@code flood} writes starts with. */
    public static final String FLOOD_LINE_START = "flood ";
    public static final int FLOOD_LINE_BYTES = 1024;
    public static final long BINARY_SEED = 20260105L;

    public static final int EXIT_USAGE = 64;
    public static final int EXIT_NO_INPUT = 66;
    public static final int EXIT_UNAVAILABLE = 69;
    public static final int EXIT_IO = 74;
    /** {@code wait-for} gave up: what it waited for never came (EX_TEMPFAIL). */
    public static final int EXIT_WAITED_IN_VAIN = 75;

    /**
     * Flags that make a JVM that runs for milliseconds start fast: the JDK's class-data archive, the client
     * compiler only, the serial collector, a small heap, no performance-data file.
     */
    static final List<String> JVM_FLAGS = List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1",
            "-XX:+UseSerialGC", "-Xmx64m", "-XX:-UsePerfData",
            // The signal step calls libc through the foreign-function API; this keeps the JVM from warning.
            "--enable-native-access=ALL-UNNAMED");

    private static final int CHUNK = 1 << 20;

    private final PrintStream out;
    private final PrintStream err;
    private final List<String> steps;
    private int next;
    private boolean markChildren = true;
    /** This run's number, once {@code count} has counted it; 0 before. */
    private long runNumber;

    private FakeAgent(List<String> steps) {
        // Bytes, not the platform's encoding: an agent's environment is often empty, and then the JVM's
        // default for standard output is ASCII.
        this.out = new PrintStream(new BufferedOutputStream(new FileOutputStream(FileDescriptor.out), CHUNK),
                false, StandardCharsets.UTF_8);
        this.err = new PrintStream(new FileOutputStream(FileDescriptor.err), true, StandardCharsets.UTF_8);
        this.steps = steps;
    }

    /** The argv that runs the fake agent with these steps, on the JVM running this code. */
    public static List<String> command(String... steps) {
        List<String> argv = new ArrayList<>(javaCommand());
        argv.addAll(Arrays.asList(steps));
        return List.copyOf(argv);
    }

    /** The argv up to (and including) the class name: the java binary, its flags, the classpath. */
    static List<String> javaCommand() {
        List<String> argv = new ArrayList<>();
        argv.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        argv.addAll(JVM_FLAGS);
        argv.add("-cp");
        argv.add(classesLocation().toString());
        argv.add(FakeAgent.class.getName());
        return argv;
    }

    private static Path classesLocation() {
        try {
            return Path.of(FakeAgent.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        } catch (URISyntaxException e) {
            throw new IllegalStateException("cannot locate the fake agent's classes", e);
        }
    }

    public static void main(String[] args) {
        List<String> steps = new ArrayList<>(Arrays.asList(args));
        FakeAgent agent = new FakeAgent(steps);
        int status;
        try {
            if (steps.size() >= 2 && steps.get(0).equals("--log")) {
                steps.remove(0);
                agent.log(Path.of(steps.remove(0)));
            }
            status = agent.run();
        } catch (Usage e) {
            agent.err.println("fake agent: " + e.getMessage());
            status = EXIT_USAGE;
        } catch (Unavailable e) {
            agent.err.println("fake agent: " + e.getMessage());
            status = EXIT_UNAVAILABLE;
        } catch (IOException e) {
            agent.err.println("fake agent: " + e);
            status = EXIT_IO;
        }
        agent.out.flush();
        System.exit(status);
    }

    private void log(Path file) throws IOException {
        String marker = Optional.ofNullable(System.getenv(MARKER_VARIABLE)).orElse("-");
        String line = "marker=" + marker + " pid=" + ProcessHandle.current().pid() + " steps="
                + String.join(" ", steps) + "\n";
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.APPEND)) {
            ByteBuffer bytes = ByteBuffer.wrap(line.getBytes(StandardCharsets.UTF_8));
            // O_APPEND makes one write land whole at the end; a line this short is written in one call.
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
        }
    }

    /** Runs the steps; returns the exit status. */
    private int run() throws IOException {
        while (next < steps.size()) {
            String step = steps.get(next++);
            Integer exit = step(step);
            out.flush();
            if (exit != null) {
                return exit;
            }
        }
        return 0;
    }

    /** One step; returns an exit status to stop with, or {@code null} to go on. */
    private Integer step(String step) throws IOException {
        switch (step) {
            case "ok" -> {
                out.println("ok");
                return 0;
            }
            case "exit" -> {
                return integer();
            }
            case "signal" -> signal(parameter());
            case "sleep" -> sleep(number());
            case "stdin-to" -> {
                Path file = Path.of(parameter());
                try (InputStream in = System.in) {
                    Files.copy(in, file, REPLACE_EXISTING);
                }
            }
            case "ignore-stdin" -> {
                // Nothing: the point is that this agent never reads its standard input.
            }
            case "read-stdin-forever" -> {
                System.in.transferTo(OutputStream.nullOutputStream());
                sleep(Long.MAX_VALUE);
            }
            case "drip" -> drip(integer(), number());
            case "flood" -> flood(out, number());
            case "flood-stderr" -> flood(err, number());
            case "huge-line" -> hugeLine(number());
            case "binary" -> binary(number());
            case "grandchild" -> grandchild(number());
            case "spawn" -> spawn(number());
            case "unmark" -> markChildren = false;
            case "double-fork" -> doubleFork(number());
            case "ignore-term" -> ignoreTerm();
            case "print-env" -> out.println(Optional.ofNullable(System.getenv(parameter())).orElse(""));
            case "env-to" -> environmentTo(Path.of(parameter()));
            case "cmdline-to" -> Files.copy(Path.of("/proc/self/cmdline"), Path.of(parameter()),
                    REPLACE_EXISTING);
            case "print" -> out.println(parameter());
            case "print-part" -> out.print(parameter());
            case "stderr" -> err.println(parameter());
            case "emit-resource" -> {
                return emitResource(parameter());
            }
            case "write" -> {
                Path file = Path.of(parameter());
                Files.writeString(file, parameter());
            }
            case "copy" -> {
                Path from = Path.of(parameter());
                Files.copy(from, Path.of(parameter()), REPLACE_EXISTING);
            }
            case "describe-file" -> {
                Path file = Path.of(parameter()).toAbsolutePath();
                out.println("file " + file + " " + permissions(file) + " dir " + permissions(file.getParent()));
            }
            case "fail-if-exists" -> {
                Path file = Path.of(parameter());
                int status = integer();
                if (Files.exists(file)) {
                    return status;
                }
            }
            case "delete" -> Files.deleteIfExists(Path.of(parameter()));
            case "wait-for", "wait-at-most" -> {
                Path file = Path.of(parameter());
                long millis = number();
                if (!appears(file, millis) && step.equals("wait-for")) {
                    err.println("fake agent: " + file + " did not appear within " + millis + " ms");
                    return EXIT_WAITED_IN_VAIN;
                }
            }
            case "count" -> runNumber = count(Path.of(parameter()));
            case "print-from-run" -> {
                long from = number();
                String text = parameter();
                String other = parameter();
                out.println(counted(step) >= from ? text : other);
            }
            case "sleep-on-run" -> {
                long run = number();
                long millis = number();
                if (counted(step) == run) {
                    sleep(millis);
                }
            }
            default -> throw new Usage("unknown step '" + step + "'");
        }
        return null;
    }

    /** Adds one to the number in the file, under a lock; returns the new number. */
    private static long count(Path file) throws IOException {
        try (FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
                StandardOpenOption.WRITE); var lock = channel.lock()) {
            ByteBuffer read = ByteBuffer.allocate(64);
            while (channel.read(read) > 0 && read.hasRemaining()) {
                // Until the end of the file, which holds one short number.
            }
            String text = new String(read.array(), 0, read.position(), StandardCharsets.US_ASCII).strip();
            long number;
            try {
                number = text.isEmpty() ? 1 : Long.parseLong(text) + 1;
            } catch (NumberFormatException e) {
                throw new Usage(file + " holds '" + text + "', not a count");
            }
            channel.truncate(0);
            channel.write(ByteBuffer.wrap(Long.toString(number).getBytes(StandardCharsets.US_ASCII)), 0);
            return number;
        }
    }

    private long counted(String step) {
        if (runNumber == 0) {
            throw new Usage("step '" + step + "' needs 'count FILE' before it");
        }
        return runNumber;
    }

    private String parameter() {
        if (next >= steps.size()) {
            throw new Usage("step '" + steps.get(next - 1) + "' needs a parameter");
        }
        return steps.get(next++);
    }

    private long number() {
        String text = parameter();
        try {
            return Long.parseLong(text);
        } catch (NumberFormatException e) {
            throw new Usage("'" + text + "' is not a number");
        }
    }

    private int integer() {
        long value = number();
        if (value < Integer.MIN_VALUE || value > Integer.MAX_VALUE) {
            throw new Usage(value + " is out of range");
        }
        return (int) value;
    }

    /** Whether the file exists, or comes to within {@code millis}. */
    private static boolean appears(Path file, long millis) {
        long end = System.nanoTime() + Math.min(millis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        while (!Files.exists(file)) {
            if (System.nanoTime() >= end) {
                return false;
            }
            sleep(10);
        }
        return true;
    }

    private static void sleep(long millis) {
        long end = System.nanoTime() + Math.min(millis, Long.MAX_VALUE / 2_000_000) * 1_000_000;
        for (long left = end - System.nanoTime(); left > 0; left = end - System.nanoTime()) {
            try {
                Thread.sleep(left / 1_000_000, (int) (left % 1_000_000));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    private void drip(int lines, long millis) {
        for (int i = 1; i <= lines; i++) {
            out.println("drip " + i + "/" + lines);
            out.flush();
            if (i < lines) {
                sleep(millis);
            }
        }
    }

    private static void flood(PrintStream stream, long bytes) {
        byte[] block = new byte[CHUNK];
        byte[] start = FLOOD_LINE_START.getBytes(StandardCharsets.US_ASCII);
        for (int line = 0; line < CHUNK / FLOOD_LINE_BYTES; line++) {
            int at = line * FLOOD_LINE_BYTES;
            Arrays.fill(block, at, at + FLOOD_LINE_BYTES - 1, (byte) 'x');
            System.arraycopy(start, 0, block, at, start.length);
            block[at + FLOOD_LINE_BYTES - 1] = '\n';
        }
        for (long left = bytes; left > 0; left -= CHUNK) {
            stream.write(block, 0, (int) Math.min(left, CHUNK));
        }
        stream.flush();
    }

    private void hugeLine(long bytes) {
        byte[] block = new byte[CHUNK];
        Arrays.fill(block, (byte) 'y');
        for (long left = bytes; left > 0; left -= CHUNK) {
            out.write(block, 0, (int) Math.min(left, CHUNK));
        }
        out.write('\n');
    }

    private void binary(long bytes) {
        Random random = new Random(BINARY_SEED);
        byte[] block = new byte[CHUNK];
        for (long left = bytes; left > 0; left -= CHUNK) {
            random.nextBytes(block);
            out.write(block, 0, (int) Math.min(left, CHUNK));
        }
    }

    private void grandchild(long millis) throws IOException {
        Process child = start(child(millis)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT));
        out.println("grandchild " + child.pid());
        out.flush();
        System.exit(0);
    }

    private void spawn(long millis) throws IOException {
        Process child = start(child(millis)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .redirectError(ProcessBuilder.Redirect.DISCARD));
        out.println("child " + child.pid());
    }

    /** Another fake agent that sleeps. */
    private static ProcessBuilder child(long millis) {
        List<String> argv = new ArrayList<>(javaCommand());
        argv.addAll(List.of("sleep", Long.toString(millis)));
        return new ProcessBuilder(argv);
    }

    private Process start(ProcessBuilder builder) throws IOException {
        if (!markChildren) {
            builder.environment().remove(MARKER_VARIABLE);
        }
        return builder.start();
    }

    private void doubleFork(long millis) throws IOException {
        List<String> argv = new ArrayList<>();
        argv.add(program("setsid").toString());
        argv.addAll(javaCommand());
        argv.addAll(List.of("sleep", Long.toString(millis)));
        // The JVM starts a child without making it a group leader, so setsid calls setsid() and execs in
        // place: the pid printed is the descendant's.
        Process descendant = start(new ProcessBuilder(argv)
                .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                .redirectError(ProcessBuilder.Redirect.INHERIT));
        out.println("descendant " + descendant.pid());
    }

    private void ignoreTerm() {
        try {
            // sun.misc.Signal through reflection: javac warns about the internal API on every build otherwise.
            Class<?> signalType = Class.forName("sun.misc.Signal");
            Class<?> handlerType = Class.forName("sun.misc.SignalHandler");
            Object handler = Proxy.newProxyInstance(FakeAgent.class.getClassLoader(), new Class<?>[] {handlerType},
                    (proxy, method, arguments) -> {
                        if (method.getName().equals("handle")) {
                            out.println("ignored SIGTERM");
                            out.flush();
                            return null;
                        }
                        return switch (method.getName()) {
                            case "hashCode" -> System.identityHashCode(proxy);
                            case "equals" -> proxy == arguments[0];
                            default -> "ignore-term handler";
                        };
                    });
            Object term = signalType.getConstructor(String.class).newInstance("TERM");
            signalType.getMethod("handle", signalType, handlerType).invoke(null, term, handler);
        } catch (ReflectiveOperationException e) {
            throw new Unavailable("cannot install a SIGTERM handler: " + e);
        }
    }

    private void environmentTo(Path file) throws IOException {
        StringBuilder text = new StringBuilder();
        for (Map.Entry<String, String> variable : new TreeMap<>(System.getenv()).entrySet()) {
            text.append(variable.getKey()).append('=').append(variable.getValue()).append('\0');
        }
        Files.writeString(file, text);
    }

    private Integer emitResource(String name) throws IOException {
        try (InputStream resource = FakeAgent.class.getResourceAsStream(RESOURCES + name)) {
            if (resource == null) {
                err.println("fake agent: no resource " + RESOURCES + name + " on the classpath");
                return EXIT_NO_INPUT;
            }
            resource.transferTo(out);
        }
        return null;
    }

    private static String permissions(Path path) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(path));
    }

    private void signal(String name) throws IOException {
        String bare = name.toUpperCase(Locale.ROOT).replaceFirst("^SIG", "");
        Integer number = SIGNALS.get(bare);
        if (number == null) {
            throw new Usage("unknown signal '" + name + "'");
        }
        out.flush();
        if (!raiseWithDefaultHandler(number)) {
            // No foreign-function API (a JDK before 22): kill(1). The JVM's handler then decides how it dies.
            Process kill = new ProcessBuilder(program("kill").toString(), "-s", bare,
                    Long.toString(ProcessHandle.current().pid())).inheritIO().start();
            try {
                kill.waitFor();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        sleep(60_000);
        throw new Unavailable("still alive after SIG" + bare);
    }

    /** signal(n, SIG_DFL) then raise(n) through the foreign-function API; false when it is not there. */
    private static boolean raiseWithDefaultHandler(int number) {
        try {
            Class<?> linkerType = Class.forName("java.lang.foreign.Linker");
            Class<?> optionType = Class.forName("java.lang.foreign.Linker$Option");
            Class<?> lookupType = Class.forName("java.lang.foreign.SymbolLookup");
            Class<?> segmentType = Class.forName("java.lang.foreign.MemorySegment");
            Class<?> layoutType = Class.forName("java.lang.foreign.MemoryLayout");
            Class<?> valueLayoutType = Class.forName("java.lang.foreign.ValueLayout");
            Class<?> descriptorType = Class.forName("java.lang.foreign.FunctionDescriptor");
            Object linker = linkerType.getMethod("nativeLinker").invoke(null);
            Object libc = linkerType.getMethod("defaultLookup").invoke(linker);
            Object intLayout = valueLayoutType.getField("JAVA_INT").get(null);
            Object addressLayout = valueLayoutType.getField("ADDRESS").get(null);
            Method find = lookupType.getMethod("find", String.class);
            Method describe = descriptorType.getMethod("of", layoutType, layoutType.arrayType());
            Method downcall = linkerType.getMethod("downcallHandle", segmentType, descriptorType,
                    optionType.arrayType());
            Object noOptions = Array.newInstance(optionType, 0);

            Object signalParameters = Array.newInstance(layoutType, 2);
            Array.set(signalParameters, 0, intLayout);
            Array.set(signalParameters, 1, addressLayout);
            Object raiseParameters = Array.newInstance(layoutType, 1);
            Array.set(raiseParameters, 0, intLayout);

            MethodHandle signal = (MethodHandle) downcall.invoke(linker,
                    ((Optional<?>) find.invoke(libc, "signal")).orElseThrow(),
                    describe.invoke(null, addressLayout, signalParameters), noOptions);
            MethodHandle raise = (MethodHandle) downcall.invoke(linker,
                    ((Optional<?>) find.invoke(libc, "raise")).orElseThrow(),
                    describe.invoke(null, intLayout, raiseParameters), noOptions);
            Object defaultHandler = segmentType.getField("NULL").get(null);
            signal.invokeWithArguments(number, defaultHandler);
            raise.invokeWithArguments(number);
            return true;
        } catch (Throwable e) {
            return false;
        }
    }

    private static Path program(String name) {
        String path = Optional.ofNullable(System.getenv("PATH")).orElse("") + ":/usr/bin:/bin";
        for (String folder : path.split(":")) {
            if (!folder.isEmpty() && Files.isExecutable(Path.of(folder, name))) {
                return Path.of(folder, name);
            }
        }
        throw new Unavailable("no '" + name + "' program on PATH or in /usr/bin, /bin");
    }

    /** Linux's signal numbers, the ones a test might want. */
    private static final Map<String, Integer> SIGNALS = Map.ofEntries(Map.entry("HUP", 1), Map.entry("INT", 2),
            Map.entry("QUIT", 3), Map.entry("ILL", 4), Map.entry("TRAP", 5), Map.entry("ABRT", 6),
            Map.entry("BUS", 7), Map.entry("FPE", 8), Map.entry("KILL", 9), Map.entry("USR1", 10),
            Map.entry("SEGV", 11), Map.entry("USR2", 12), Map.entry("PIPE", 13), Map.entry("ALRM", 14),
            Map.entry("TERM", 15));

    private static final class Usage extends RuntimeException {
        Usage(String message) {
            super(message, null, false, false);
        }
    }

    private static final class Unavailable extends RuntimeException {
        Unavailable(String message) {
            super(message, null, false, false);
        }
    }
}
