package dev.jobkit.examples.crawl;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;

/**
 * A tiny web server for the example site shipped in this jar (under {@value #SITE}): a dozen linked
 * HTML pages with one broken link. It listens on 127.0.0.1 on a free port, so the crawler's tests
 * and the demo never touch the internet.
 *
 * <pre>{@code
 * try (StaticSiteServer site = StaticSiteServer.start()) {
 *   URI home = site.uri();   // http://127.0.0.1:<port>/
 * }
 * }</pre>
 *
 * <p>{@code java -cp jobkit.jar dev.jobkit.examples.crawl.StaticSiteServer} serves it until killed.
 */
public final class StaticSiteServer implements AutoCloseable {
  /** Where the site's files are on the class path. */
  public static final String SITE = "dev/jobkit/examples/site/";

  private static final Map<String, String> TYPES =
      Map.of(
          "html", "text/html; charset=utf-8",
          "css", "text/css; charset=utf-8",
          "txt", "text/plain; charset=utf-8");

  private final HttpServer server;

  private StaticSiteServer(HttpServer server) {
    this.server = server;
  }

  /** Starts serving the example site on 127.0.0.1 on a free port. */
  public static StaticSiteServer start() throws IOException {
    HttpServer server =
        HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    server.createContext("/", StaticSiteServer::handle);
    server.start();
    return new StaticSiteServer(server);
  }

  /** The site's home page, such as {@code http://127.0.0.1:41234/}. */
  public URI uri() {
    return URI.create("http://127.0.0.1:" + server.getAddress().getPort() + "/");
  }

  /** Stops the server at once. */
  @Override
  public void close() {
    server.stop(0);
  }

  private static void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      String path = exchange.getRequestURI().getPath();
      if (path.endsWith("/")) {
        path += "index.html";
      }
      byte[] body = path.contains("..") ? null : read(SITE + path.substring(1));
      if (body == null) {
        send(
            exchange,
            404,
            "text/html; charset=utf-8",
            "<!DOCTYPE html><title>Not found</title><h1>404 Not found</h1>"
                .getBytes(StandardCharsets.UTF_8));
      } else {
        String extension = path.substring(path.lastIndexOf('.') + 1).toLowerCase(Locale.ROOT);
        send(exchange, 200, TYPES.getOrDefault(extension, "application/octet-stream"), body);
      }
    }
  }

  private static byte[] read(String resource) throws IOException {
    try (InputStream in = StaticSiteServer.class.getClassLoader().getResourceAsStream(resource)) {
      return in == null ? null : in.readAllBytes();
    }
  }

  private static void send(HttpExchange exchange, int status, String type, byte[] body)
      throws IOException {
    exchange.getResponseHeaders().set("Content-Type", type);
    boolean head = "HEAD".equals(exchange.getRequestMethod());
    exchange.sendResponseHeaders(status, head ? -1 : body.length);
    if (!head) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }

  /** Serves the site until the process is killed. */
  public static void main(String[] args) throws IOException {
    StaticSiteServer site = start();
    System.out.println("Serving the example site at " + site.uri() + " (Ctrl-C to stop)");
  }
}
