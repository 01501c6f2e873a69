package org.flinkconnectors.lake.testutils;

import java.io.IOException;
import java.lang.reflect.Constructor;
import java.lang.reflect.Field;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * Iceberg's own REST catalog server ({@code org.apache.iceberg.rest.RESTCatalogServer} of the
 * {@code iceberg-open-api} test fixtures: Iceberg's REST servlet and catalog handlers on Jetty),
 * started in this JVM on a free loopback port, backed by a JDBC catalog in a SQLite file whose
 * tables live in the given warehouse.
 *
 * <p>The server links against unshaded Jackson and HttpCore, which the connector's {@code
 * iceberg-flink-runtime} relocates, so it runs in a class loader of its own over the jars the build
 * copies to {@code target/iceberg-rest-server} (see the module's pom); it shares only the JDK with
 * the test. Clients talk to it over HTTP like to any REST catalog.
 */
public final class IcebergRestCatalogServer implements AutoCloseable {

    private static final Path JARS = Path.of("target", "iceberg-rest-server");

    private final URLClassLoader loader;
    private final Object server;
    private final String uri;

    private IcebergRestCatalogServer(URLClassLoader loader, Object server, String uri) {
        this.loader = loader;
        this.server = server;
        this.uri = uri;
    }

    /** Starts a server whose tables live at {@code <warehouse>/<namespace>/<table>}. */
    public static IcebergRestCatalogServer start(Path warehouse) throws Exception {
        URLClassLoader loader =
                new URLClassLoader(
                        "iceberg-rest-server", jars(), ClassLoader.getPlatformClassLoader());
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        // Iceberg loads the backing catalog and Jetty its parts through the context class loader.
        thread.setContextClassLoader(loader);
        try {
            // DriverManager may have been initialised before this loader existed.
            Class.forName("org.sqlite.JDBC", true, loader);
            Class<?> serverClass = loader.loadClass("org.apache.iceberg.rest.RESTCatalogServer");
            Constructor<?> constructor = serverClass.getDeclaredConstructor(Map.class);
            constructor.setAccessible(true);
            Object server =
                    constructor.newInstance(
                            Map.of(
                                    "rest.port",
                                    "0",
                                    "uri",
                                    "jdbc:sqlite:" + warehouse.resolve("rest-backend.db"),
                                    "warehouse",
                                    warehouse.toString()));
            serverClass.getMethod("start", boolean.class).invoke(server, false);
            Field http = serverClass.getDeclaredField("httpServer");
            http.setAccessible(true);
            Object jetty = http.get(server);
            URI bound = (URI) jetty.getClass().getMethod("getURI").invoke(jetty);
            String uri = "http://127.0.0.1:" + bound.getPort() + "/";
            return new IcebergRestCatalogServer(loader, server, uri);
        } catch (Exception | Error e) {
            loader.close();
            throw e;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** The endpoint, for {@code 'uri'} of a {@code 'catalog-type' = 'rest'} table or catalog. */
    public String uri() {
        return uri;
    }

    private static URL[] jars() throws IOException {
        if (!Files.isDirectory(JARS)) {
            throw new IllegalStateException(
                    JARS.toAbsolutePath()
                            + " is missing; Maven's generate-test-resources phase copies the"
                            + " REST catalog server's jars there.");
        }
        try (Stream<Path> files = Files.list(JARS)) {
            List<Path> jars = files.filter(f -> f.toString().endsWith(".jar")).sorted().toList();
            URL[] urls = new URL[jars.size()];
            for (int i = 0; i < urls.length; i++) {
                urls[i] = toUrl(jars.get(i));
            }
            return urls;
        }
    }

    private static URL toUrl(Path jar) {
        try {
            return jar.toUri().toURL();
        } catch (MalformedURLException e) {
            throw new IllegalArgumentException(jar.toString(), e);
        }
    }

    @Override
    public void close() throws Exception {
        try {
            server.getClass().getMethod("stop").invoke(server);
        } finally {
            loader.close();
        }
    }
}
