package io.switchboard.core.workflow;

/** A template that cannot be parsed; the offset says where, so a reader can name the line. */
public final class TemplateSyntaxException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    private final int offset;

    public TemplateSyntaxException(int offset, String message) {
        super(message);
        this.offset = offset;
    }

    /** Where in the template's text the problem starts (0-based, in chars). */
    public int offset() {
        return offset;
    }
}
