package io.switchboard.process.internal;

import java.io.IOException;
import java.io.InputStream;

/**
 * Drains one output stream of a process on its own thread, so that a process writing a lot to one stream
 * never blocks while the runner waits on the other. Every read is counted (before redaction) and reported,
 * then redacted, then handed on.
 */
final class StreamPump implements Runnable {
    private static final int READ_SIZE = 64 * 1024;

    /** Hears how many bytes each read brought; called on the pump's thread. */
    @FunctionalInterface
    interface ReadListener {
        void read(int bytes);
    }

    private final InputStream in;
    private final Redaction.Filter filter;
    private final Redaction.Sink sink;
    private final Runnable atEnd;
    private final ReadListener listener;
    private volatile long bytes;

    StreamPump(InputStream in, Redaction.Filter filter, Redaction.Sink sink, Runnable atEnd, ReadListener listener) {
        this.in = in;
        this.filter = filter;
        this.sink = sink;
        this.atEnd = atEnd;
        this.listener = listener;
    }

    /** The bytes the process wrote to this stream so far, before redaction. */
    long bytes() {
        return bytes;
    }

    @Override
    public void run() {
        byte[] buffer = new byte[READ_SIZE];
        try {
            for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
                if (read > 0) {
                    bytes += read;
                    listener.read(read);
                    filter.write(buffer, 0, read, sink);
                }
            }
        } catch (IOException e) {
            // The stream was closed under us: the supervisor gave up waiting for it. What came is kept.
        }
        filter.finish(sink);
        atEnd.run();
        close();
    }

    void close() {
        try {
            in.close();
        } catch (IOException e) {
            // Closing only frees the descriptor early; the pump stops at its next read either way.
        }
    }
}
