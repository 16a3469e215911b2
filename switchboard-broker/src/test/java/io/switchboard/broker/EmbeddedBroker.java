package io.switchboard.broker;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.apache.qpid.server.SystemLauncher;

/**
 * Apache Qpid Broker-J in this JVM, speaking AMQP 0-9-1 on a port of 127.0.0.1 that stays the same across
 * {@link #stop()} and {@link #start()}. It keeps messages in memory, so a restart starts empty. Login guest/guest.
 */
final class EmbeddedBroker {
    private final int port;
    private final Path workFolder;
    private SystemLauncher launcher;

    EmbeddedBroker(int port) {
        this.port = port;
        try {
            this.workFolder = Files.createTempDirectory("qpid-work");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A broker on a free port, not started. */
    static EmbeddedBroker onFreePort() {
        return new EmbeddedBroker(freePort());
    }

    static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    int port() {
        return port;
    }

    String url() {
        return "amqp://guest:guest@127.0.0.1:" + port;
    }

    synchronized EmbeddedBroker start() {
        if (launcher != null) {
            return this;
        }
        Map<String, Object> attributes = new HashMap<>();
        attributes.put("type", "Memory");
        attributes.put("initialConfigurationLocation",
                EmbeddedBroker.class.getResource("qpid-config.json").toExternalForm());
        attributes.put("startupLoggedToSystemOut", false);
        attributes.put("context", Map.of("qpid.amqp_port", String.valueOf(port), "qpid.work_dir",
                workFolder.toString()));
        SystemLauncher started = new SystemLauncher();
        try {
            started.startup(attributes);
        } catch (Exception e) {
            throw new IllegalStateException("The embedded Qpid broker did not start on port " + port, e);
        }
        launcher = started;
        return this;
    }

    synchronized void stop() {
        if (launcher != null) {
            launcher.shutdown();
            launcher = null;
        }
    }
}
