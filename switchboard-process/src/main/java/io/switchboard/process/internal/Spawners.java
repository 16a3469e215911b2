package io.switchboard.process.internal;

import io.switchboard.process.RunnerSettings;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Chooses how a runner starts its processes.
 *
 * <ul>
 *   <li><b>posix_spawn</b> ({@code PosixSpawner}): posix_spawn(3) called through the foreign-function API, each
 *       process in a session of its own ({@code POSIX_SPAWN_SETSID}), one exec and no helper. Only where the JVM is
 *       Java 22 or later (the API is final from 22; that one class is compiled for 22 and loaded only there), on
 *       Linux with glibc 2.34 or later (it needs {@code posix_spawn_file_actions_addclosefrom_np}), with native
 *       access allowed ({@code --enable-native-access=ALL-UNNAMED}, or the CLI jar's manifest), and when the
 *       settings ask for it and for a group of its own.</li>
 *   <li>Otherwise the JDK's {@link ProcessBuilder}, through the {@code setsid} program when the settings ask for a
 *       group of its own and the host has one ({@link JdkSpawner}).</li>
 * </ul>
 */
final class Spawners {
    private static final String POSIX_SPAWNER = "io.switchboard.process.internal.PosixSpawner";
    private static final List<Path> SETSID_PLACES = List.of(Path.of("/usr/bin/setsid"), Path.of("/bin/setsid"));

    private Spawners() {
    }

    static Spawner choose(RunnerSettings settings, RunThreads threads) {
        if (!settings.newProcessGroup()) {
            return new JdkSpawner(null);
        }
        if (settings.nativeSpawn()) {
            Optional<Spawner> posix = posixSpawner(threads);
            if (posix.isPresent()) {
                return posix.get();
            }
        }
        return new JdkSpawner(findSetsid().orElse(null));
    }

    /** posix_spawn where this JVM and host can call it; empty otherwise, and on any doubt. */
    @SuppressWarnings("unchecked")
    static Optional<Spawner> posixSpawner(RunThreads threads) {
        if (Runtime.version().feature() < 22
                || !System.getProperty("os.name", "").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return Optional.empty();
        }
        try {
            MethodHandle create = MethodHandles.lookup().findStatic(Class.forName(POSIX_SPAWNER), "create",
                    MethodType.methodType(Optional.class, RunThreads.class));
            return (Optional<Spawner>) create.invoke(threads);
        } catch (VirtualMachineError e) {
            throw e;
        } catch (Throwable e) {
            // Not built (a JDK 21 build leaves the class out), or not callable here: the JDK's way serves.
            return Optional.empty();
        }
    }

    private static Optional<Path> findSetsid() {
        List<Path> places = new ArrayList<>(SETSID_PLACES);
        String path = System.getenv("PATH");
        if (path != null) {
            for (String folder : path.split(":")) {
                if (folder.startsWith("/")) {
                    places.add(Path.of(folder, "setsid"));
                }
            }
        }
        return places.stream().filter(place -> Files.isRegularFile(place) && Files.isExecutable(place)).findFirst();
    }
}
