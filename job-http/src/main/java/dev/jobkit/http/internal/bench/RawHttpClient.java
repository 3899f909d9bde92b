package dev.jobkit.http.internal.bench;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * The benchmark's cheap client: one HTTP/1.1 keep-alive connection on a plain blocking socket that
 * writes a POST and reads the status line, the headers and the body (by {@code Content-Length} or
 * chunked). It costs far less CPU than {@link java.net.http.HttpClient} (no selector thread, no
 * hand-offs), which matters when client and server share two cores. Not thread-safe: one per
 * thread.
 */
final class RawHttpClient implements Closeable {
  private final Socket socket;
  private final InputStream in;
  private final OutputStream out;
  private final byte[] head;
  private final byte[] body;
  private final StringBuilder line = new StringBuilder(128);

  /** What a call answered: the status and the body. */
  record Response(int status, byte[] body) {}

  /**
   * Connects to {@code uri}'s host and port, for POSTs of {@code json} to its path, over and over.
   */
  RawHttpClient(URI uri, String json) throws IOException {
    socket = new Socket();
    socket.setTcpNoDelay(true);
    socket.connect(new InetSocketAddress(uri.getHost(), uri.getPort()));
    in = new BufferedInputStream(socket.getInputStream(), 16 * 1024);
    out = new BufferedOutputStream(socket.getOutputStream(), 16 * 1024);
    body = json.getBytes(StandardCharsets.UTF_8);
    head =
        ("POST "
                + uri.getRawPath()
                + " HTTP/1.1\r\nHost: "
                + uri.getHost()
                + ":"
                + uri.getPort()
                + "\r\nContent-Type: application/json\r\nContent-Length: "
                + body.length
                + "\r\n\r\n")
            .getBytes(StandardCharsets.US_ASCII);
  }

  /** Sends the POST and reads the whole answer. */
  Response post() throws IOException {
    out.write(head);
    out.write(body);
    out.flush();
    String status = readLine();
    // "HTTP/1.1 201 Created"
    if (!status.startsWith("HTTP/1.") || status.length() < 12) {
      throw new IOException("not an HTTP/1.x status line: '" + status + "'");
    }
    int code = Integer.parseInt(status.substring(9, 12));
    long length = -1;
    boolean chunked = false;
    boolean close = false;
    for (String h; !(h = readLine()).isEmpty(); ) {
      int colon = h.indexOf(':');
      if (colon < 0) {
        continue;
      }
      String name = h.substring(0, colon).trim().toLowerCase(Locale.ROOT);
      String value = h.substring(colon + 1).trim();
      switch (name) {
        case "content-length" -> length = Long.parseLong(value);
        case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
        case "connection" -> close = value.equalsIgnoreCase("close");
        default -> {}
      }
    }
    byte[] answer;
    if (chunked) {
      ByteArrayOutputStream all = new ByteArrayOutputStream();
      for (long n; (n = Long.parseLong(chunkSize(readLine()), 16)) > 0; ) {
        all.write(readN((int) n));
        readLine();
      }
      // trailers, then the empty line
      while (!readLine().isEmpty()) {}
      answer = all.toByteArray();
    } else if (length >= 0) {
      answer = readN((int) length);
    } else if (code == 204 || code == 304 || code < 200) {
      answer = new byte[0];
    } else {
      throw new IOException("answer " + code + " has neither Content-Length nor chunked body");
    }
    if (close) {
      throw new IOException("the server closed the connection after answering " + code);
    }
    return new Response(code, answer);
  }

  private static String chunkSize(String s) {
    int semi = s.indexOf(';');
    return (semi < 0 ? s : s.substring(0, semi)).trim();
  }

  private byte[] readN(int n) throws IOException {
    byte[] b = in.readNBytes(n);
    if (b.length != n) {
      throw new EOFException("the connection ended " + (n - b.length) + " bytes before the body");
    }
    return b;
  }

  private String readLine() throws IOException {
    line.setLength(0);
    for (int b; (b = in.read()) != '\n'; ) {
      if (b < 0) {
        throw new EOFException("the connection ended in the middle of an answer's head");
      }
      if (b != '\r') {
        line.append((char) b);
      }
    }
    return line.toString();
  }

  @Override
  public void close() throws IOException {
    socket.close();
  }
}
