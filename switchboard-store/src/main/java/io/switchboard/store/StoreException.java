package io.switchboard.store;

/**
 * The database failed or refused: it could not be reached, a statement failed, the schema is not one this
 * version can use, or a write was attempted on a store opened read-only. The message says which.
 */
public final class StoreException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public StoreException(String message) {
        super(message);
    }

    public StoreException(String message, Throwable cause) {
        super(message, cause);
    }
}
