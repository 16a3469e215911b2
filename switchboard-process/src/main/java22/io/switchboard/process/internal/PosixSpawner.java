package io.switchboard.process.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.Closeable;
import java.io.FileInputStream;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Starts processes with posix_spawn(3), called through the foreign-function API: each process leads a session of
 * its own ({@code POSIX_SPAWN_SETSID}) from its first instruction, with one exec, no helper program and no
 * {@code setsid} program, every signal at its default disposition and none blocked, and no file descriptor of this
 * JVM but its three pipes ({@code posix_spawn_file_actions_addclosefrom_np}). {@link ProcessBuilder} instead starts
 * the JDK's {@code jspawnhelper}, which execs the program; with {@code setsid} in front, that is three programs run
 * for every process.
 *
 * <p>Compiled for Java 22, where the foreign-function API is final, and loaded only on such a JVM
 * ({@link Spawners}); Linux with glibc 2.34 or later. {@link #create} declines, and the JDK's way is used, when
 * native access is not allowed or a call is missing.
 */
final class PosixSpawner implements Spawner {
    // <spawn.h>, <fcntl.h>, <sys/wait.h>, <signal.h> on Linux (the same on x86-64 and AArch64).
    private static final short POSIX_SPAWN_SETSIGDEF = 0x04;
    private static final short POSIX_SPAWN_SETSIGMASK = 0x08;
    private static final short POSIX_SPAWN_SETSID = 0x80;
    private static final int O_CLOEXEC = 0x80000;
    static final int EINTR = 4;
    static final int SIGTERM = 15;
    static final int SIGKILL = 9;
    /** Larger than glibc's posix_spawn_file_actions_t (80 bytes), posix_spawnattr_t (336) and sigset_t (128). */
    private static final long OPAQUE_BYTES = 1024;
    private static final long SIGSET_BYTES = 128;
    private static final Set<String> ARCHITECTURES = Set.of("amd64", "x86_64", "aarch64");

    static final StructLayout CALL_STATE = Linker.Option.captureStateLayout();
    static final VarHandle ERRNO = CALL_STATE.varHandle(MemoryLayout.PathElement.groupElement("errno"));

    private final Libc libc;
    private final RunThreads threads;
    private final Charset charset;

    private PosixSpawner(Libc libc, RunThreads threads) {
        this.libc = libc;
        this.threads = threads;
        // As the JDK encodes argv, environment and paths for the system.
        this.charset = Charset.forName(System.getProperty("sun.jnu.encoding", "UTF-8"), StandardCharsets.UTF_8);
    }

    /** A spawner, where this JVM may call native code and the C library has every call it needs. */
    static Optional<Spawner> create(RunThreads threads) {
        if (!PosixSpawner.class.getModule().isNativeAccessEnabled()
                || !ARCHITECTURES.contains(System.getProperty("os.arch", ""))) {
            return Optional.empty();
        }
        return Libc.load().map(libc -> new PosixSpawner(libc, threads));
    }

    @Override
    public boolean ownSession() {
        return true;
    }

    @Override
    public String method() {
        return "posix_spawn";
    }

    @Override
    public Process start(List<String> argv, Path directory, Map<String, String> environment) throws IOException {
        String program = argv.getFirst();
        String where = directory == null ? "" : " (in directory \"" + directory + "\")";
        for (String each : argv) {
            refuseNul(each, program, where);
        }
        environment.forEach((name, value) -> {
            if (name.indexOf('\0') >= 0 || value.indexOf('\0') >= 0 || name.indexOf('=') >= 0) {
                throw new IllegalArgumentException("invalid environment variable name or value: " + name);
            }
        });
        int[] pipes = new int[6];
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(JAVA_INT, 2);
            for (int i = 0; i < 3; i++) {
                int errno = libc.pipe2(arena, fds);
                if (errno != 0) {
                    throw new IOException("Cannot run program \"" + program + "\"" + where + ": pipe2 failed: error="
                            + errno + ", " + libc.describe(errno));
                }
                pipes[2 * i] = fds.getAtIndex(JAVA_INT, 0);
                pipes[2 * i + 1] = fds.getAtIndex(JAVA_INT, 1);
            }
            // The agent reads pipes[0] and writes pipes[3] and pipes[5]; this JVM has the other ends.
            int pid = spawn(arena, program, where, argv, directory, environment, pipes[0], pipes[3], pipes[5]);
            // Ours are opened again as Java streams (through /proc/self/fd: the one way from a descriptor to a
            // stream without the JDK's internals); every descriptor made here is closed below.
            List<Closeable> opened = new ArrayList<>(3);
            try {
                OutputStream stdin = new FileOutputStream("/proc/self/fd/" + pipes[1]);
                opened.add(stdin);
                InputStream stdout = new FileInputStream("/proc/self/fd/" + pipes[2]);
                opened.add(stdout);
                InputStream stderr = new FileInputStream("/proc/self/fd/" + pipes[4]);
                return SpawnedProcess.started(pid, stdin, stdout, stderr, libc, threads);
            } catch (IOException | RuntimeException e) {
                // Started, but this JVM cannot talk to it: it goes at once.
                libc.killAndReap(pid);
                for (Closeable each : opened) {
                    try {
                        each.close();
                    } catch (IOException ignored) {
                        // Closing a pipe end fails only if it is closed already.
                    }
                }
                throw new IOException("Cannot run program \"" + program + "\"" + where + ": its pipes could not be "
                        + "opened: " + e.getMessage(), e);
            }
        } finally {
            closeAll(pipes);
        }
    }

    /** posix_spawnp with its file actions and attributes; returns the pid. */
    private int spawn(Arena arena, String program, String where, List<String> argv, Path directory,
            Map<String, String> environment, int childIn, int childOut, int childErr) throws IOException {
        MemorySegment actions = arena.allocate(OPAQUE_BYTES, 16);
        MemorySegment attributes = arena.allocate(OPAQUE_BYTES, 16);
        MemorySegment noSignals = arena.allocate(SIGSET_BYTES, 8);
        MemorySegment allSignals = arena.allocate(SIGSET_BYTES, 8);
        spawnStructures(actions, attributes);
        try {
            fileActions(actions, arena, childIn, childOut, childErr, directory);
            require((int) libc.sigemptyset.invokeExact(noSignals), "sigemptyset");
            require((int) libc.sigfillset.invokeExact(allSignals), "sigfillset");
            require((int) libc.setsigmask.invokeExact(attributes, noSignals), "posix_spawnattr_setsigmask");
            require((int) libc.setsigdefault.invokeExact(attributes, allSignals), "posix_spawnattr_setsigdefault");
            require((int) libc.setflags.invokeExact(attributes,
                    (short) (POSIX_SPAWN_SETSID | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)),
                    "posix_spawnattr_setflags");
            MemorySegment args = arena.allocate(ADDRESS, argv.size() + 1L);
            for (int i = 0; i < argv.size(); i++) {
                args.setAtIndex(ADDRESS, i, arena.allocateFrom(argv.get(i), charset));
            }
            args.setAtIndex(ADDRESS, argv.size(), MemorySegment.NULL);
            MemorySegment variables = arena.allocate(ADDRESS, environment.size() + 1L);
            int i = 0;
            for (Map.Entry<String, String> variable : environment.entrySet()) {
                variables.setAtIndex(ADDRESS, i++,
                        arena.allocateFrom(variable.getKey() + "=" + variable.getValue(), charset));
            }
            variables.setAtIndex(ADDRESS, i, MemorySegment.NULL);
            MemorySegment pid = arena.allocate(JAVA_INT);
            int error = (int) libc.posixSpawnp.invokeExact(pid, arena.allocateFrom(program, charset), actions,
                    attributes, args, variables);
            if (error != 0) {
                throw new IOException("Cannot run program \"" + program + "\"" + where + ": error=" + error + ", "
                        + libc.describe(error));
            }
            return pid.get(JAVA_INT, 0);
        } catch (IOException | RuntimeException | Error e) {
            throw e;
        } catch (Throwable e) {
            throw new IOException("Cannot run program \"" + program + "\"" + where + ": " + e, e);
        } finally {
            freeSpawnStructures(actions, attributes);
        }
    }

    private void spawnStructures(MemorySegment actions, MemorySegment attributes) throws IOException {
        try {
            require((int) libc.actionsInit.invokeExact(actions), "posix_spawn_file_actions_init");
            require((int) libc.attributesInit.invokeExact(attributes), "posix_spawnattr_init");
        } catch (Throwable e) {
            throw new IOException("posix_spawn's structures could not be made: " + e, e);
        }
    }

    private void freeSpawnStructures(MemorySegment actions, MemorySegment attributes) {
        try {
            int ignored = (int) libc.actionsDestroy.invokeExact(actions);
            ignored = (int) libc.attributesDestroy.invokeExact(attributes);
        } catch (Throwable e) {
            // Freeing never fails in glibc; nothing to do if it did.
        }
    }

    private void fileActions(MemorySegment actions, Arena arena, int childIn, int childOut, int childErr,
            Path directory) throws Throwable {
        require((int) libc.adddup2.invokeExact(actions, childIn, 0), "posix_spawn_file_actions_adddup2");
        require((int) libc.adddup2.invokeExact(actions, childOut, 1), "posix_spawn_file_actions_adddup2");
        require((int) libc.adddup2.invokeExact(actions, childErr, 2), "posix_spawn_file_actions_adddup2");
        if (directory != null) {
            require((int) libc.addchdir.invokeExact(actions, arena.allocateFrom(directory.toString(), charset)),
                    "posix_spawn_file_actions_addchdir_np");
        }
        // Whatever this JVM opened without close-on-exec stays out of the agent.
        require((int) libc.addclosefrom.invokeExact(actions, 3), "posix_spawn_file_actions_addclosefrom_np");
    }

    /** The C library's calls here return 0 or an error number. */
    private static void require(int error, String call) throws IOException {
        if (error != 0) {
            throw new IOException(call + ": error=" + error);
        }
    }

    private void closeAll(int[] fds) {
        for (int i = 0; i < fds.length; i++) {
            if (fds[i] > 0) {
                libc.close(fds[i]);
                fds[i] = 0;
            }
        }
    }

    private static void refuseNul(String text, String program, String where) throws IOException {
        if (text.indexOf('\0') >= 0) {
            throw new IOException("Cannot run program \"" + program.replace('\0', '?') + "\"" + where
                    + ": invalid null character in command");
        }
    }

    /** The C library's calls, looked up once. */
    static final class Libc {
        final MethodHandle pipe2;
        final MethodHandle close;
        final MethodHandle actionsInit;
        final MethodHandle actionsDestroy;
        final MethodHandle adddup2;
        final MethodHandle addchdir;
        final MethodHandle addclosefrom;
        final MethodHandle attributesInit;
        final MethodHandle attributesDestroy;
        final MethodHandle setflags;
        final MethodHandle setsigmask;
        final MethodHandle setsigdefault;
        final MethodHandle sigemptyset;
        final MethodHandle sigfillset;
        final MethodHandle posixSpawnp;
        final MethodHandle waitid;
        final MethodHandle waitpid;
        final MethodHandle kill;
        final MethodHandle strerror;

        private Libc(Linker linker, SymbolLookup c) {
            Linker.Option errno = Linker.Option.captureCallState("errno");
            pipe2 = handle(linker, c, "pipe2", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT), errno);
            close = handle(linker, c, "close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
            FunctionDescriptor onePointer = FunctionDescriptor.of(JAVA_INT, ADDRESS);
            FunctionDescriptor twoPointers = FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);
            actionsInit = handle(linker, c, "posix_spawn_file_actions_init", onePointer);
            actionsDestroy = handle(linker, c, "posix_spawn_file_actions_destroy", onePointer);
            adddup2 = handle(linker, c, "posix_spawn_file_actions_adddup2",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
            addchdir = handle(linker, c, "posix_spawn_file_actions_addchdir_np", twoPointers);
            addclosefrom = handle(linker, c, "posix_spawn_file_actions_addclosefrom_np",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
            attributesInit = handle(linker, c, "posix_spawnattr_init", onePointer);
            attributesDestroy = handle(linker, c, "posix_spawnattr_destroy", onePointer);
            setflags = handle(linker, c, "posix_spawnattr_setflags",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_SHORT));
            setsigmask = handle(linker, c, "posix_spawnattr_setsigmask", twoPointers);
            setsigdefault = handle(linker, c, "posix_spawnattr_setsigdefault", twoPointers);
            sigemptyset = handle(linker, c, "sigemptyset", onePointer);
            sigfillset = handle(linker, c, "sigfillset", onePointer);
            posixSpawnp = handle(linker, c, "posix_spawnp",
                    FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS, ADDRESS));
            waitid = handle(linker, c, "waitid",
                    FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT), errno);
            waitpid = handle(linker, c, "waitpid", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT),
                    errno);
            kill = handle(linker, c, "kill", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT));
            strerror = handle(linker, c, "strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
        }

        static Optional<Libc> load() {
            try {
                return Optional.of(new Libc(Linker.nativeLinker(), Linker.nativeLinker().defaultLookup()));
            } catch (RuntimeException | LinkageError e) {
                // A call missing (glibc before 2.34, another C library): not here.
                return Optional.empty();
            }
        }

        private static MethodHandle handle(Linker linker, SymbolLookup c, String name, FunctionDescriptor function,
                Linker.Option... options) {
            MemorySegment address = c.find(name).orElseThrow(() -> new IllegalStateException("no " + name));
            return linker.downcallHandle(address, function, options);
        }

        /** pipe2(2) with close-on-exec into {@code fds}; returns 0, or errno. */
        int pipe2(Arena arena, MemorySegment fds) {
            MemorySegment state = arena.allocate(CALL_STATE);
            try {
                int result = (int) pipe2.invokeExact(state, fds, O_CLOEXEC);
                return result == -1 ? (int) ERRNO.get(state, 0L) : 0;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        void close(int fd) {
            try {
                int ignored = (int) close.invokeExact(fd);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        /** Kills a process just started and waits for it, for a start that cannot be completed. */
        void killAndReap(int pid) {
            signal(pid, SIGKILL);
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment state = arena.allocate(CALL_STATE);
                MemorySegment status = arena.allocate(JAVA_INT);
                int result;
                do {
                    result = (int) waitpid.invokeExact(state, pid, status, 0);
                } while (result == -1 && (int) ERRNO.get(state, 0L) == EINTR);
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        /** kill(2); whether the signal was sent. */
        boolean signal(int pid, int signal) {
            try {
                return (int) kill.invokeExact(pid, signal) == 0;
            } catch (Throwable e) {
                throw new IllegalStateException(e);
            }
        }

        String describe(int errno) {
            try {
                MemorySegment text = (MemorySegment) strerror.invokeExact(errno);
                return text.reinterpret(Long.MAX_VALUE).getString(0);
            } catch (Throwable e) {
                return "error " + errno;
            }
        }
    }
}
