package io.switchboard.cli;

/** The database could not be opened or used; the message names it (without credentials). */
final class StoreUnavailableException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    StoreUnavailableException(String message, Throwable cause) {
        super(message, cause);
    }
}
