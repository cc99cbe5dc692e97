package kg.harness;

import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CountDownLatch;
import org.neo4j.configuration.GraphDatabaseInternalSettings;
import org.neo4j.configuration.GraphDatabaseSettings;
import org.neo4j.configuration.connectors.BoltConnector;
import org.neo4j.configuration.connectors.HttpConnector;
import org.neo4j.configuration.connectors.HttpsConnector;
import org.neo4j.configuration.helpers.SocketAddress;
import org.neo4j.harness.Neo4j;
import org.neo4j.harness.Neo4jBuilder;
import org.neo4j.harness.Neo4jBuilders;
import org.neo4j.io.ByteUnit;
import org.neo4j.server.configuration.ServerSettings;

/**
 * Starts an in-process Neo4j Community server (Bolt + HTTP, auth disabled, loopback only),
 * prints one line {@code NEO4J READY bolt://127.0.0.1:B http://127.0.0.1:H} to stdout and
 * blocks until the JVM is terminated (SIGTERM/SIGINT; a shutdown hook closes the server).
 *
 * <p>Options (each may also come from the environment variable in brackets):
 * <pre>
 *   --bolt-port N                  [NEO4J_BOLT_PORT]   0 = pick a free port (default)
 *   --http-port N                  [NEO4J_HTTP_PORT]   0 = pick a free port (default)
 *   --pagecache-mb N               [NEO4J_PAGECACHE_MB] default 16
 *   --working-dir DIR              [NEO4J_WORKING_DIR] parent of the (deleted on exit) store dir
 *   --browser-post-connect-cmd V   [NEO4J_BROWSER_POST_CONNECT_CMD]
 *   --browser-whitelist V          [NEO4J_BROWSER_WHITELIST]
 *   --exit-on-stdin-eof            exit when stdin reaches EOF (parent process went away)
 * </pre>
 * All Neo4j log output goes to stderr or to log files; stdout carries only the ready line.
 */
public final class Harness {
    private static final String HOST = "127.0.0.1";

    private Harness() {}

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Throwable t) {
            // Exit at once: a failed start can leave non-daemon threads that keep the JVM alive.
            t.printStackTrace();
            System.exit(1);
        }
    }

    private static void run(String[] args) throws Exception {
        // Keep stdout clean for the ready line: anything else printed via System.out goes to stderr.
        PrintStream stdout = new PrintStream(System.out, true, StandardCharsets.UTF_8);
        System.setOut(System.err);

        int boltPort = intOpt(env("NEO4J_BOLT_PORT"), 0);
        int httpPort = intOpt(env("NEO4J_HTTP_PORT"), 0);
        long pagecacheMb = intOpt(env("NEO4J_PAGECACHE_MB"), 16);
        String workingDir = env("NEO4J_WORKING_DIR");
        String postConnectCmd = env("NEO4J_BROWSER_POST_CONNECT_CMD");
        String whitelist = env("NEO4J_BROWSER_WHITELIST");
        boolean exitOnStdinEof = false;

        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--bolt-port" -> boltPort = intOpt(value(args, ++i, a), 0);
                case "--http-port" -> httpPort = intOpt(value(args, ++i, a), 0);
                case "--pagecache-mb" -> pagecacheMb = intOpt(value(args, ++i, a), 16);
                case "--working-dir" -> workingDir = value(args, ++i, a);
                case "--browser-post-connect-cmd" -> postConnectCmd = value(args, ++i, a);
                case "--browser-whitelist" -> whitelist = value(args, ++i, a);
                case "--exit-on-stdin-eof" -> exitOnStdinEof = true;
                case "-h", "--help" -> {
                    stdout.println("usage: java -jar neo4j-test-harness.jar [--bolt-port N] [--http-port N]"
                            + " [--pagecache-mb N] [--working-dir DIR] [--browser-post-connect-cmd V]"
                            + " [--browser-whitelist V] [--exit-on-stdin-eof]");
                    return;
                }
                default -> throw new IllegalArgumentException("unknown argument: " + a);
            }
        }
        if (boltPort == 0) {
            boltPort = freePort();
        }
        if (httpPort == 0) {
            httpPort = freePort();
            while (httpPort == boltPort) {
                httpPort = freePort();
            }
        }

        Neo4jBuilder builder = (workingDir == null || workingDir.isBlank())
                ? Neo4jBuilders.newInProcessBuilder()
                : Neo4jBuilders.newInProcessBuilder(Path.of(workingDir));
        builder = builder.withConfig(GraphDatabaseSettings.auth_enabled, false)
                .withConfig(GraphDatabaseSettings.pagecache_memory, ByteUnit.mebiBytes(pagecacheMb))
                .withConfig(BoltConnector.enabled, true)
                .withConfig(BoltConnector.listen_address, new SocketAddress(HOST, boltPort))
                .withConfig(BoltConnector.advertised_address, new SocketAddress(HOST, boltPort))
                .withConfig(BoltConnector.encryption_level, BoltConnector.EncryptionLevel.DISABLED)
                .withConfig(HttpConnector.enabled, true)
                .withConfig(HttpConnector.listen_address, new SocketAddress(HOST, httpPort))
                .withConfig(HttpConnector.advertised_address, new SocketAddress(HOST, httpPort))
                .withConfig(HttpsConnector.enabled, false)
                // Netty's default 2s quiet period per event loop makes shutdown take ~10s.
                .withConfig(GraphDatabaseInternalSettings.netty_server_shutdown_quiet_period, 0);
        if (postConnectCmd != null && !postConnectCmd.isEmpty()) {
            builder = builder.withConfig(ServerSettings.browser_post_connect_cmd, postConnectCmd);
        }
        if (whitelist != null && !whitelist.isEmpty()) {
            builder = builder.withConfig(ServerSettings.browser_remote_content_hostname_whitelist, whitelist);
        }

        Neo4j neo4j = builder.build();
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                neo4j.close();
            } catch (Throwable t) {
                t.printStackTrace();
            } finally {
                done.countDown();
            }
        }, "neo4j-harness-shutdown"));

        if (exitOnStdinEof) {
            Thread watcher = new Thread(() -> {
                try {
                    InputStream in = System.in;
                    byte[] buf = new byte[256];
                    while (in.read(buf) >= 0) {
                        // discard
                    }
                } catch (IOException ignored) {
                    // treat as EOF
                }
                System.exit(0);
            }, "stdin-eof-watcher");
            watcher.setDaemon(true);
            watcher.start();
        }

        // Report the ports actually bound (they equal the requested ones when those were non-zero).
        int boundBolt = neo4j.boltURI().getPort();
        int boundHttp = neo4j.httpURI().getPort();
        stdout.println("NEO4J READY bolt://" + HOST + ":" + boundBolt + " http://" + HOST + ":" + boundHttp);
        stdout.flush();
        done.await();
    }

    private static String env(String name) {
        String v = System.getenv(name);
        return v == null || v.isBlank() ? null : v.trim();
    }

    private static String value(String[] args, int i, String flag) {
        if (i >= args.length) {
            throw new IllegalArgumentException("missing value for " + flag);
        }
        return args[i];
    }

    private static int intOpt(String v, int dflt) {
        return v == null || v.isBlank() ? dflt : Integer.parseInt(v.trim());
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getByName(HOST))) {
            s.setReuseAddress(true);
            return s.getLocalPort();
        }
    }
}
