package dev.slicer.e2e;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * Sends the request a default JDK HttpClient sends on a new cleartext connection (a GET asking to upgrade to h2c) and
 * returns the status line of the answer. A service that keeps HTTP/1.1 answers {@code HTTP/1.1 200 OK}; one that
 * accepts answers {@code HTTP/1.1 101 Switching Protocols}, the path on which Vert.x sometimes never finishes.
 */
public final class CleartextUpgrade {

    private CleartextUpgrade() {}

    public static String statusLine(int port, String path) throws IOException {
        try (Socket socket = new Socket(InetAddress.getLoopbackAddress(), port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            out.write(("GET " + path + " HTTP/1.1\r\n"
                            + "Host: 127.0.0.1:" + port + "\r\n"
                            + "Connection: Upgrade, HTTP2-Settings\r\n"
                            + "Upgrade: h2c\r\n"
                            + "HTTP2-Settings: AAEAAEAAAAIAAAABAAMAAABkAAQBAAAAAAUAAEAA\r\n"
                            + "\r\n")
                    .getBytes(StandardCharsets.US_ASCII));
            out.flush();
            InputStream in = socket.getInputStream();
            StringBuilder line = new StringBuilder();
            for (int b = in.read(); b != -1 && b != '\n' && line.length() < 200; b = in.read()) {
                line.append((char) b);
            }
            return line.toString().trim();
        }
    }
}
