package io.switchboard.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The launcher's JDK lookup (.mvn/find-jdk.sh, shared by ./switchboard and ./bench), run by bash against fake
 * JDK homes: a release file and an executable bin/java are all it reads.
 */
class LauncherTest {
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @TempDir
    Path dir;

    private Path fakeJdk(String name, String version) throws IOException {
        Path home = dir.resolve("jdks").resolve(name);
        Files.createDirectories(home.resolve("bin"));
        Files.writeString(home.resolve("release"), "JAVA_VERSION=\"" + version + "\"\n");
        Path java = home.resolve("bin/java");
        Files.writeString(java, "#!/bin/sh\nexit 0\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return home;
    }

    /** Runs a bash script with only the given environment (and a PATH without any java). */
    private Run bash(String script, Map<String, String> env) throws IOException, InterruptedException {
        Path file = Files.createTempFile(dir, "script", ".sh");
        Files.writeString(file, script + "\n");
        ProcessBuilder builder = new ProcessBuilder(List.of("bash", file.toString())).directory(dir.toFile());
        builder.environment().clear();
        builder.environment().put("PATH", toolsWithoutJava().toString());
        builder.environment().put("HOME", dir.toString());
        builder.environment().putAll(env);
        Process process = builder.start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(process.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        return new Run(process.exitValue(), out, err);
    }

    /** A PATH folder with the tools the scripts use and no java, whatever this machine has installed. */
    private Path toolsWithoutJava() throws IOException {
        Path bin = dir.resolve("bin");
        if (Files.isDirectory(bin)) {
            return bin;
        }
        Files.createDirectories(bin);
        for (String tool : List.of("bash", "sh", "dirname", "readlink", "sed", "find", "cat", "mktemp", "rm")) {
            for (String folder : List.of("/usr/bin", "/bin")) {
                Path found = Path.of(folder, tool);
                if (Files.isExecutable(found)) {
                    Files.createSymbolicLink(bin.resolve(tool), found);
                    break;
                }
            }
        }
        return bin;
    }

    record Run(int code, String out, String err) {
    }

    private String findJdk() {
        return ". '" + ROOT.resolve(".mvn/find-jdk.sh") + "'; find_jdk";
    }

    @Test
    void picksTheNewestJdk21OrLaterFromTheInstallFolders() throws Exception {
        fakeJdk("jdk-17", "17.0.15");
        fakeJdk("jdk-21", "21.0.2");
        Path newest = fakeJdk("jdk-25", "25.0.3");

        Run run = bash(findJdk(), Map.of("SWITCHBOARD_JDK_FOLDERS", dir.resolve("jdks") + "/*"));

        assertThat(run.code()).isZero();
        assertThat(run.out().strip()).isEqualTo(newest.toString());
    }

    @Test
    void javaHomeWinsWhenItIs21OrLaterAndIsIgnoredWhenOlder() throws Exception {
        Path old = fakeJdk("jdk-17", "17.0.15");
        Path jdk21 = fakeJdk("jdk-21", "21.0.2");
        String folders = dir.resolve("jdks") + "/*";

        Run chosen = bash(findJdk(), Map.of("JAVA_HOME", jdk21.toString(), "SWITCHBOARD_JDK_FOLDERS", folders));
        Run ignored = bash(findJdk(), Map.of("JAVA_HOME", old.toString(),
                "SWITCHBOARD_JDK_FOLDERS", dir.resolve("jdks/jdk-17").toString()));

        assertThat(chosen.out().strip()).isEqualTo(jdk21.toString());
        assertThat(ignored.code()).isNotZero();
        assertThat(ignored.out()).isEmpty();
    }

    @Test
    void theLauncherSaysClearlyWhenThereIsNoJdk21() throws Exception {
        fakeJdk("jdk-17", "17.0.15");
        Path root = Files.createDirectories(dir.resolve("checkout"));
        Files.createDirectories(root.resolve(".mvn"));
        Files.copy(ROOT.resolve("switchboard"), root.resolve("switchboard"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(ROOT.resolve(".mvn/find-jdk.sh"), root.resolve(".mvn/find-jdk.sh"));

        Run run = bash("'" + root.resolve("switchboard") + "' --version",
                Map.of("SWITCHBOARD_JDK_FOLDERS", dir.resolve("jdks") + "/*"));

        assertThat(run.code()).isEqualTo(1);
        assertThat(run.out()).isEmpty();
        assertThat(run.err()).contains("no JDK 21 or newer found").contains("JAVA_HOME");
    }
}
