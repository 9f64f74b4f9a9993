package dev.runfleet.local.runtime;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A client of {@code GET /api/events} on a bare socket, for tests that need what an HTTP client
 * hides: the raw frames, a client that stops reading, or one that just hangs up.
 */
final class RawEventStream implements AutoCloseable {

  private final Socket socket;
  private final BufferedReader in;

  RawEventStream(int port) throws IOException {
    socket = new Socket("127.0.0.1", port);
    socket.setSoTimeout(20_000);
    OutputStream out = socket.getOutputStream();
    out.write(
        "GET /api/events HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: text/event-stream\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII));
    out.flush();
    in = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
  }

  /** The status line and headers, up to the blank line. */
  String headers() throws IOException {
    StringBuilder out = new StringBuilder();
    for (String line = in.readLine(); line != null && !line.isEmpty(); line = in.readLine()) {
      out.append(line).append('\n');
    }
    return out.toString();
  }

  /** The next line, chunk-size lines included. */
  String readLine() throws IOException {
    return in.readLine();
  }

  /** Reads lines until one starts with {@code prefix}. */
  String lineStartingWith(String prefix) throws IOException {
    for (String line = in.readLine(); line != null; line = in.readLine()) {
      if (line.startsWith(prefix)) {
        return line;
      }
    }
    throw new IOException("stream ended before a line starting with " + prefix);
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
