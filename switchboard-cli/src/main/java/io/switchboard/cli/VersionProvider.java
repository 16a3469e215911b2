package io.switchboard.cli;

import io.switchboard.process.LocalAgentRunner;
import io.switchboard.process.RunnerSettings;
import io.switchboard.process.adapter.Adapters;
import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;
import picocli.CommandLine;

/** The version from the build, the JVM, and how agents start on this host, for {@code --version} on every command. */
final class VersionProvider implements CommandLine.IVersionProvider {
    static String version() {
        Properties properties = new Properties();
        try (InputStream in = VersionProvider.class.getResourceAsStream("version.properties")) {
            if (in != null) {
                properties.load(in);
            }
        } catch (IOException e) {
            return "unknown";
        }
        return properties.getProperty("version", "unknown");
    }

    @Override
    public String[] getVersion() {
        return new String[] {"switchboard " + version(), "Java " + Runtime.version(),
                Runners.containment(new LocalAgentRunner(RunnerSettings.defaults(), Adapters::of))};
    }
}
