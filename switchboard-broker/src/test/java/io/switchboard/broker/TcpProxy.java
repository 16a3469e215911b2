package io.switchboard.broker;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of a broker, to do to a real broker what the tests cannot do to a shared server:
 * take it away ({@link #down()}: every connection is cut and new ones are accepted and closed at once, as by a
 * broker that is restarting), bring it back ({@link #up()}), and raise a resource alarm on the connections through
 * it ({@link #block}: the proxy sends the client AMQP's {@code connection.blocked} and stops reading from it, which
 * is what RabbitMQ does; {@link #unblock()} undoes both).
 *
 * <p>It reads the broker's side as AMQP frames, so that what it adds goes between two frames.
 */
public final class TcpProxy implements AutoCloseable {
    private static final int FRAME_METHOD = 1;
    private static final int FRAME_END = 0xCE;

    private final int targetPort;
    private final boolean amqpFrames;
    private final ServerSocket server;
    private final List<Link> links = new CopyOnWriteArrayList<>();
    private final AtomicInteger refused = new AtomicInteger();
    private volatile boolean down;
    private volatile boolean closed;

    public TcpProxy(int targetPort) {
        this(targetPort, true);
    }

    /**
     * A proxy for any TCP protocol: bytes pass as they come. Only {@link #down()} and {@link #up()} apply; blocking and
     * freezing need AMQP's frames.
     */
    public static TcpProxy plain(int targetPort) {
        return new TcpProxy(targetPort, false);
    }

    private TcpProxy(int targetPort, boolean amqpFrames) {
        this.targetPort = targetPort;
        this.amqpFrames = amqpFrames;
        try {
            server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofPlatform().daemon().name("proxy-accept").start(this::accept);
    }

    public int port() {
        return server.getLocalPort();
    }

    /** Connections accepted and closed at once while the proxy was down. */
    int refused() {
        return refused.get();
    }

    /** Cuts every connection; new ones are closed as soon as they are accepted, until {@link #up()}. */
    public void down() {
        down = true;
        links.forEach(Link::close);
        links.clear();
    }

    public void up() {
        down = false;
    }

    /** Tells every client through the proxy that the broker blocked it, and stops reading what they send. */
    void block(String reason) {
        byte[] text = reason.getBytes(StandardCharsets.UTF_8);
        byte[] arguments = new byte[1 + text.length];
        arguments[0] = (byte) text.length;
        System.arraycopy(text, 0, arguments, 1, text.length);
        for (Link link : links) {
            link.paused = true;
            link.sendToClient(method(10, 60, arguments));
        }
    }

    /** Holds back everything the broker sends on the connections open now (confirms among it), until thawed. */
    void freezeReplies() {
        links.forEach(link -> link.frozen = true);
    }

    void thaw() {
        links.forEach(Link::thaw);
    }

    void unblock() {
        for (Link link : links) {
            link.sendToClient(method(10, 61, new byte[0]));
            link.resume();
        }
    }

    @Override
    public void close() {
        closed = true;
        down();
        try {
            server.close();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private void accept() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return;
            }
            if (down) {
                refused.incrementAndGet();
                closeQuietly(client);
                continue;
            }
            try {
                Socket broker = new Socket();
                broker.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), targetPort), 2_000);
                Link link = new Link(client, broker, amqpFrames);
                links.add(link);
                link.start();
            } catch (IOException e) {
                closeQuietly(client);
            }
        }
    }

    /** A method frame on channel 0. */
    private static byte[] method(int classId, int methodId, byte[] arguments) {
        int size = 4 + arguments.length;
        byte[] frame = new byte[7 + size + 1];
        frame[0] = FRAME_METHOD;
        frame[3] = (byte) (size >>> 24);
        frame[4] = (byte) (size >>> 16);
        frame[5] = (byte) (size >>> 8);
        frame[6] = (byte) size;
        frame[7] = (byte) (classId >>> 8);
        frame[8] = (byte) classId;
        frame[9] = (byte) (methodId >>> 8);
        frame[10] = (byte) methodId;
        System.arraycopy(arguments, 0, frame, 11, arguments.length);
        frame[frame.length - 1] = (byte) FRAME_END;
        return frame;
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException ignored) {
            // Closing is all that is left to do with it.
        }
    }

    /** One client connection and its connection to the broker. */
    private static final class Link {
        final Socket client;
        final Socket broker;
        final OutputStream toClient;
        volatile boolean paused;
        volatile boolean frozen;
        private final Object pause = new Object();
        private final boolean amqpFrames;

        Link(Socket client, Socket broker, boolean amqpFrames) throws IOException {
            this.client = client;
            this.broker = broker;
            this.toClient = client.getOutputStream();
            this.amqpFrames = amqpFrames;
        }

        void start() {
            Thread.ofPlatform().daemon().name("proxy-up").start(this::clientToBroker);
            Thread.ofPlatform().daemon().name("proxy-down").start(amqpFrames ? this::brokerToClient : this::copyBack);
        }

        /** Bytes from the server to the client as they come. */
        private void copyBack() {
            byte[] buffer = new byte[8192];
            try (InputStream in = broker.getInputStream()) {
                while (true) {
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    synchronized (toClient) {
                        toClient.write(buffer, 0, read);
                        toClient.flush();
                    }
                }
            } catch (IOException e) {
                // The link is over.
            } finally {
                close();
            }
        }

        void resume() {
            synchronized (pause) {
                paused = false;
                pause.notifyAll();
            }
        }

        void thaw() {
            synchronized (pause) {
                frozen = false;
                pause.notifyAll();
            }
        }

        void sendToClient(byte[] bytes) {
            try {
                synchronized (toClient) {
                    toClient.write(bytes);
                    toClient.flush();
                }
            } catch (IOException e) {
                close();
            }
        }

        private void clientToBroker() {
            byte[] buffer = new byte[8192];
            try (InputStream in = client.getInputStream(); OutputStream out = broker.getOutputStream()) {
                while (true) {
                    synchronized (pause) {
                        while (paused) {
                            pause.wait();
                        }
                    }
                    int read = in.read(buffer);
                    if (read < 0) {
                        break;
                    }
                    out.write(buffer, 0, read);
                    out.flush();
                }
            } catch (IOException | InterruptedException e) {
                // The link is over.
            } finally {
                close();
            }
        }

        /** The broker speaks frames from its first byte: a 7-byte header, the payload, and the frame end. */
        private void brokerToClient() {
            try (DataInputStream in = new DataInputStream(broker.getInputStream())) {
                byte[] header = new byte[7];
                while (true) {
                    in.readFully(header);
                    int size = ((header[3] & 0xFF) << 24) | ((header[4] & 0xFF) << 16) | ((header[5] & 0xFF) << 8)
                            | (header[6] & 0xFF);
                    byte[] rest = new byte[size + 1];
                    in.readFully(rest);
                    synchronized (pause) {
                        while (frozen && !client.isClosed()) {
                            pause.wait(100);
                        }
                    }
                    synchronized (toClient) {
                        toClient.write(header);
                        toClient.write(rest);
                        toClient.flush();
                    }
                }
            } catch (EOFException | SocketException | InterruptedException e) {
                // The link is over.
            } catch (IOException e) {
                // Likewise.
            } finally {
                close();
            }
        }

        void close() {
            closeQuietly(client);
            closeQuietly(broker);
            resume();
            thaw();
        }
    }
}
