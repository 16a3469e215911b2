package io.switchboard.broker;

import static io.switchboard.core.Require.require;

import com.rabbitmq.client.AMQP;
import com.rabbitmq.client.AuthenticationFailureException;
import com.rabbitmq.client.Connection;
import com.rabbitmq.client.ConnectionFactory;
import com.rabbitmq.client.ShutdownSignalException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.concurrent.TimeoutException;

/**
 * Where the broker is ({@code amqp://user:password@host:port/vhost}, RabbitMQ's URI form; {@code amqps://} for TLS)
 * and how to open a connection to it that fails within a bounded time: the TCP connect, the AMQP handshake and each
 * RPC wait at most {@code timeout}, so a URL that points at nothing, at a firewall that drops packets, or at a port
 * that accepts and never speaks AMQP is a {@link BrokerException} naming the broker, not a hang.
 *
 * <p>The password never appears in a message or in {@link #toString()}. Connections do not recover by themselves:
 * their owner (the relay, a consumer) decides what a lost connection means.
 */
public final class BrokerEndpoint {
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(5);

    private final String uri;
    private final String redacted;
    private final Duration timeout;

    private BrokerEndpoint(String uri, String redacted, Duration timeout) {
        this.uri = uri;
        this.redacted = redacted;
        this.timeout = timeout;
    }

    /**
     * @throws IllegalArgumentException when the URL is not an {@code amqp://} or {@code amqps://} URL, quoting it
     *     without its password
     */
    public static BrokerEndpoint of(String url, Duration timeout) {
        require(url != null && !url.isBlank(), "a broker URL is amqp://user:password@host:port/vhost, was empty");
        require(timeout != null && timeout.isPositive() && timeout.toMillis() <= Integer.MAX_VALUE,
                "a broker timeout is more than zero, was %s", timeout);
        String redacted = redact(url);
        try {
            URI parsed = new URI(url);
            require("amqp".equals(parsed.getScheme()) || "amqps".equals(parsed.getScheme()),
                    "a broker URL starts with amqp:// or amqps://, was %s", redacted);
            require(parsed.getHost() != null, "a broker URL names a host, was %s", redacted);
            new ConnectionFactory().setUri(url);
        } catch (URISyntaxException | IllegalArgumentException | java.security.GeneralSecurityException e) {
            if (e instanceof IllegalArgumentException argument && argument.getMessage() != null
                    && argument.getMessage().startsWith("a broker URL")) {
                throw argument;
            }
            throw new IllegalArgumentException("a broker URL is amqp://user:password@host:port/vhost, was " + redacted,
                    e);
        }
        return new BrokerEndpoint(url, redacted, timeout);
    }

    public static BrokerEndpoint of(String url) {
        return of(url, DEFAULT_TIMEOUT);
    }

    /**
     * Opens a connection.
     *
     * @param name the connection's name, as the broker's management shows it
     * @throws BrokerException when the broker cannot be reached, does not answer in time or refuses the login
     */
    public Connection connect(String name) {
        ConnectionFactory factory = new ConnectionFactory();
        try {
            factory.setUri(uri);
        } catch (URISyntaxException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("checked when the endpoint was made", e);
        }
        int millis = (int) timeout.toMillis();
        factory.setConnectionTimeout(millis);
        factory.setHandshakeTimeout(millis);
        factory.setChannelRpcTimeout(millis);
        factory.setShutdownTimeout(millis);
        factory.setRequestedHeartbeat(30);
        factory.setAutomaticRecoveryEnabled(false);
        factory.setTopologyRecoveryEnabled(false);
        try {
            return factory.newConnection(name);
        } catch (AuthenticationFailureException e) {
            throw new BrokerException("The broker at " + redacted + " refused the login: " + e.getMessage(), e);
        } catch (IOException | TimeoutException e) {
            if (refusedLogin(e)) {
                throw new BrokerException("The broker at " + redacted + " refused the login: " + e.getMessage(), e);
            }
            throw new BrokerException("Could not connect to the broker at " + redacted + ": " + why(e), e);
        }
    }

    public Duration timeout() {
        return timeout;
    }

    /** The URL without its password. */
    @Override
    public String toString() {
        return redacted;
    }

    private String why(Exception e) {
        Throwable cause = e;
        while (cause.getCause() != null && cause.getCause() != cause && (cause.getMessage() == null
                || cause instanceof IOException && !(cause instanceof ConnectException)
                        && !(cause instanceof UnknownHostException) && !(cause instanceof SocketTimeoutException))) {
            cause = cause.getCause();
        }
        if (cause instanceof UnknownHostException) {
            return "unknown host " + cause.getMessage();
        }
        if (cause instanceof ConnectException) {
            return "nothing accepts connections there (" + cause.getMessage() + ")";
        }
        if (cause instanceof SocketTimeoutException || e instanceof TimeoutException
                || cause instanceof TimeoutException) {
            return "no answer within " + timeout.toMillis() + " ms";
        }
        return cause.getMessage() != null ? cause.getMessage() : cause.getClass().getSimpleName();
    }

    /**
     * RabbitMQ says a refused login with its own exception; Qpid Broker-J closes the connection with code 530 and
     * "Authentication failed".
     */
    private static boolean refusedLogin(Exception e) {
        for (Throwable cause = e; cause != null; cause = cause.getCause() == cause ? null : cause.getCause()) {
            if (cause instanceof ShutdownSignalException signal
                    && signal.getReason() instanceof AMQP.Connection.Close close
                    && (close.getReplyCode() == 403 || close.getReplyCode() == 530)) {
                return true;
            }
        }
        return false;
    }

    /** The URL with any password replaced by {@code ***}. */
    static String redact(String url) {
        return url.replaceFirst("^([a-zA-Z][a-zA-Z0-9+.-]*://[^:/@]*):[^@/]*@", "$1:***@");
    }
}
