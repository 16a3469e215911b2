package io.switchboard.broker;

/** The broker could not be reached, refused what was asked of it, or broke off; the message says which and where. */
public final class BrokerException extends RuntimeException {
    public BrokerException(String message, Throwable cause) {
        super(message, cause);
    }

    public BrokerException(String message) {
        super(message);
    }
}
