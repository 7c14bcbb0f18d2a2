package dev.slicer.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Stands in for kube-proxy in front of a Service's port on one machine: accepts TCP connections on a loopback port
 * and pipes each to one of the Service's endpoints, taken in turn (IPVS round robin; iptables mode picks at random).
 * A connection stays on the endpoint it got, as behind a real Service: gRPC calls on one connection all reach one
 * replica. An endpoint that refuses the connection is skipped (a real Service lists only ready endpoints).
 */
public final class ServiceProxy implements AutoCloseable {
    /** Open connections at most; more are refused at once (bounded threads and sockets). */
    static final int MAX_CONNECTIONS = 256;

    private static final int CONNECT_TIMEOUT_MS = 2_000;
    private static final int BUFFER_BYTES = 64 * 1024;

    private final ServerSocket server;
    private final Thread acceptor;
    private final Set<Connection> open = ConcurrentHashMap.newKeySet();
    private final Map<Integer, AtomicLong> accepted = new ConcurrentHashMap<>();
    private final AtomicInteger next = new AtomicInteger();
    private volatile List<Integer> endpoints = List.of();
    private volatile boolean closed;

    private ServiceProxy(ServerSocket server) {
        this.server = server;
        this.acceptor = new Thread(this::acceptLoop, "service-proxy-" + server.getLocalPort());
        this.acceptor.setDaemon(true);
    }

    /** Listens on {@code port} of the loopback address. */
    public static ServiceProxy start(int port) throws IOException {
        ServerSocket s = new ServerSocket();
        s.setReuseAddress(true);
        s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 64);
        ServiceProxy p = new ServiceProxy(s);
        p.acceptor.start();
        return p;
    }

    public int port() {
        return server.getLocalPort();
    }

    /** The loopback ports of the Service's endpoints now; connections already open stay where they are. */
    public void endpoints(List<Integer> ports) {
        endpoints = List.copyOf(ports);
    }

    /** Connections piped to the endpoint on {@code port} so far. */
    public long connectionsTo(int port) {
        AtomicLong n = accepted.get(port);
        return n == null ? 0 : n.get();
    }

    private void acceptLoop() {
        while (!closed) {
            Socket client;
            try {
                client = server.accept();
            } catch (IOException e) {
                return; // closed
            }
            if (open.size() >= MAX_CONNECTIONS) {
                closeQuietly(client);
                continue;
            }
            Socket upstream = connect();
            if (upstream == null) {
                closeQuietly(client); // no endpoint answers: the client sees a refused connection and retries
                continue;
            }
            Connection c = new Connection(client, upstream, new AtomicInteger());
            open.add(c);
            pipe(c, client, upstream);
            pipe(c, upstream, client);
        }
    }

    /** The next endpoint in turn that accepts a connection, or null when none does. */
    private Socket connect() {
        List<Integer> ports = endpoints;
        for (int tried = 0; tried < ports.size(); tried++) {
            int port = ports.get(Math.floorMod(next.getAndIncrement(), ports.size()));
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.connect(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), CONNECT_TIMEOUT_MS);
                accepted.computeIfAbsent(port, k -> new AtomicLong()).incrementAndGet();
                return s;
            } catch (IOException e) {
                closeQuietly(s);
            }
        }
        return null;
    }

    /** One client connection and its endpoint connection; {@code ended} counts the directions that are done. */
    private record Connection(Socket client, Socket upstream, AtomicInteger ended) {}

    /** Copies one direction until EOF, then half-closes the other side; an error, or both directions done, closes it. */
    private void pipe(Connection c, Socket from, Socket to) {
        Thread t = new Thread(
                () -> {
                    byte[] buf = new byte[BUFFER_BYTES];
                    boolean clean = false;
                    try {
                        InputStream in = from.getInputStream();
                        OutputStream out = to.getOutputStream();
                        for (int n; (n = in.read(buf)) >= 0; ) {
                            out.write(buf, 0, n);
                        }
                        to.shutdownOutput();
                        clean = true;
                    } catch (IOException e) {
                        // reset or closed: the whole connection ends
                    } finally {
                        if (c.ended().incrementAndGet() == 2 || !clean) {
                            end(c);
                        }
                    }
                },
                "service-proxy-pipe");
        t.setDaemon(true);
        t.start();
    }

    private void end(Connection c) {
        open.remove(c);
        closeQuietly(c.client());
        closeQuietly(c.upstream());
    }

    private static void closeQuietly(Socket s) {
        try {
            s.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        closed = true;
        try {
            server.close();
        } catch (IOException e) {
            // the acceptor ends either way
        }
        for (Connection c : List.copyOf(open)) {
            end(c);
        }
    }
}
