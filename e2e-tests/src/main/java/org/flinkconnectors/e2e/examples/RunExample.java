package org.flinkconnectors.e2e.examples;

import org.flinkconnectors.e2e.EmbeddedSystems;
import org.flinkconnectors.examples.LakeExample;
import org.flinkconnectors.examples.OdpsExample;
import org.flinkconnectors.examples.StreamsExample;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.ResultKind;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.api.TableResult;
import org.apache.flink.types.Row;
import org.apache.flink.types.RowKind;
import org.apache.flink.util.CloseableIterator;

import org.apache.kafka.clients.admin.Admin;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Runs the examples of the repository's {@code examples/} directory against the demo's embedded
 * systems ({@link EmbeddedSystems}: a Kafka broker, the MaxCompute test server, a warehouse
 * directory; Flink is a local MiniCluster per job).
 *
 * <p>Arguments: one or more examples, or {@code all}. A SQL example is a name of {@code
 * examples/sql} ({@code streams}, {@code odps}, {@code lake}, {@code pipeline}) or the path of any
 * {@code .sql} file; its statements run one by one in a streaming {@link TableEnvironment}, after
 * the placeholders ({@code ${bootstrap.servers}}, {@code ${odps.endpoint}}, {@code
 * ${odps.project}}, {@code ${odps.access-id}}, {@code ${odps.access-key}}, {@code ${warehouse}})
 * were replaced by the embedded systems' values: {@code SET} changes the session's configuration as
 * in the SQL client, an {@code INSERT} is awaited, a query's result is printed. A DataStream
 * example ({@code StreamsExample}, {@code OdpsExample}, {@code LakeExample}) runs its {@code main}
 * with the same values as {@code --key value} arguments. Before an example runs, the runner creates
 * what it expects to exist: the topics its statements name, the ODPS project {@value
 * #ODPS_PROJECT}, a warehouse directory of its own.
 */
public final class RunExample {

    private static final Logger LOG = LoggerFactory.getLogger(RunExample.class);

    /** The SQL examples, as files {@code examples/sql/<name>.sql}. */
    public static final List<String> SQL_EXAMPLES = List.of("streams", "odps", "lake", "pipeline");

    /** The DataStream examples, classes of {@code org.flinkconnectors.examples}. */
    public static final List<String> DATASTREAM_EXAMPLES =
            List.of("StreamsExample", "OdpsExample", "LakeExample");

    /** The MaxCompute project the examples use. */
    public static final String ODPS_PROJECT = "flink_examples";

    /** The topic StreamsExample writes and reads. */
    public static final String DATASTREAM_TOPIC = "datastream-orders";

    private static final int TOPIC_PARTITIONS = 2;
    private static final Pattern TOPIC_OPTION = Pattern.compile("'topic'\\s*=\\s*'([^']+)'");
    private static final Pattern SET =
            Pattern.compile("SET\\s+'([^']+)'\\s*=\\s*'([^']*)'", Pattern.CASE_INSENSITIVE);

    private RunExample() {}

    public static void main(String[] args) {
        if (args.length == 0) {
            LOG.info(
                    "Usage: RunExample <example>... | all, an example being one of {} {} or a .sql"
                            + " file",
                    SQL_EXAMPLES,
                    DATASTREAM_EXAMPLES);
            System.exit(2);
        }
        List<String> examples = new ArrayList<>();
        for (String arg : args) {
            if (arg.equals("all")) {
                examples.addAll(SQL_EXAMPLES);
                examples.addAll(DATASTREAM_EXAMPLES);
            } else {
                examples.add(arg);
            }
        }
        int exitCode = 0;
        LOG.info("Starting an embedded Kafka broker and the MaxCompute test server ...");
        try (EmbeddedSystems systems = EmbeddedSystems.start()) {
            for (String example : examples) {
                run(systems, example);
            }
        } catch (Throwable t) {
            LOG.error("The example failed.", t);
            exitCode = 1;
        }
        // The broker and Flink leave non-daemon threads behind; end the JVM either way.
        System.exit(exitCode);
    }

    /** Runs one example against {@code systems}, printing its output and a one-line outcome. */
    public static Outcome run(EmbeddedSystems systems, String example) throws Exception {
        long started = System.nanoTime();
        Path warehouse =
                Files.createDirectories(
                        systems.warehouse().resolve(example.replaceAll("[^A-Za-z0-9_-]", "_")));
        systems.odps().store().createProject(ODPS_PROJECT);
        Map<String, String> values = placeholders(systems, warehouse);
        LOG.info("");
        LOG.info("=== example {} ===", example);
        Outcome outcome;
        if (DATASTREAM_EXAMPLES.contains(example)) {
            createTopics(systems, Set.of(DATASTREAM_TOPIC));
            runDataStream(example, values);
            outcome = new Outcome(example, warehouse, 0, 0, List.of(), elapsed(started));
        } else {
            outcome = runSql(systems, example, sqlFile(example), values, warehouse, started);
        }
        double secs = outcome.elapsed().toMillis() / 1000.0;
        if (DATASTREAM_EXAMPLES.contains(example)) {
            LOG.info(String.format("=== %s: OK, %.1f s ===", example, secs));
        } else {
            LOG.info(
                    String.format(
                            "=== %s: OK, %d statements, %s, %s, %.1f s ===",
                            example,
                            outcome.statements(),
                            count(outcome.inserts(), "INSERT job", "INSERT jobs"),
                            count(outcome.queries().size(), "query", "queries"),
                            secs));
        }
        return outcome;
    }

    /** The values of the placeholders an example may use, for the embedded systems. */
    static Map<String, String> placeholders(EmbeddedSystems systems, Path warehouse) {
        Map<String, String> values = new LinkedHashMap<>();
        values.put("bootstrap.servers", systems.bootstrapServers());
        values.put("odps.endpoint", systems.odps().endpoint());
        values.put("odps.project", ODPS_PROJECT);
        values.put("odps.access-id", OdpsTestServer.ACCESS_ID);
        values.put("odps.access-key", OdpsTestServer.ACCESS_KEY);
        values.put("warehouse", warehouse.toAbsolutePath().toString());
        return values;
    }

    private static void runDataStream(String example, Map<String, String> values) throws Exception {
        List<String> args = new ArrayList<>();
        values.forEach(
                (key, value) -> {
                    args.add("--" + key);
                    args.add(value);
                });
        args.add("--topic");
        args.add(DATASTREAM_TOPIC);
        String[] argv = args.toArray(new String[0]);
        switch (example) {
            case "StreamsExample" -> StreamsExample.main(argv);
            case "OdpsExample" -> OdpsExample.main(argv);
            case "LakeExample" -> LakeExample.main(argv);
            default -> throw new IllegalArgumentException("Unknown example " + example);
        }
    }

    private static Outcome runSql(
            EmbeddedSystems systems,
            String example,
            Path file,
            Map<String, String> values,
            Path warehouse,
            long started)
            throws Exception {
        // Printed as written (with placeholders, so no credentials), run with the values.
        List<String> written = SqlScript.statements(Files.readString(file));
        List<String> statements = new ArrayList<>();
        for (String statement : written) {
            statements.add(SqlScript.substitute(statement, values));
        }
        Set<String> topics = new LinkedHashSet<>();
        for (String statement : statements) {
            Matcher topic = TOPIC_OPTION.matcher(statement);
            while (topic.find()) {
                topics.add(topic.group(1));
            }
        }
        createTopics(systems, topics);

        Configuration config = new Configuration();
        config.setString("parallelism.default", "2");
        TableEnvironment tEnv =
                TableEnvironment.create(
                        EnvironmentSettings.newInstance()
                                .inStreamingMode()
                                .withConfiguration(config)
                                .build());
        int inserts = 0;
        List<QueryResult> queries = new ArrayList<>();
        for (int i = 0; i < statements.size(); i++) {
            String statement = statements.get(i);
            LOG.info("Flink SQL> {}", abbreviate(written.get(i)));
            long start = System.nanoTime();
            Matcher set = SET.matcher(statement);
            if (set.matches()) {
                // The SQL client's SET: TableEnvironment.executeSql does not take it.
                tEnv.getConfig().set(set.group(1), set.group(2));
                continue;
            }
            TableResult result = tEnv.executeSql(statement);
            String keyword = statement.split("\\s+", 2)[0].toUpperCase(Locale.ROOT);
            if (keyword.equals("INSERT") || keyword.equals("EXECUTE")) {
                result.await(10, TimeUnit.MINUTES);
                inserts++;
                LOG.info(String.format("  done in %.1f s", elapsed(start).toMillis() / 1000.0));
            } else if (result.getResultKind() == ResultKind.SUCCESS_WITH_CONTENT) {
                QueryResult query = collect(statement, result);
                query.print();
                queries.add(query);
            }
        }
        return new Outcome(
                example, warehouse, statements.size(), inserts, queries, elapsed(started));
    }

    /** The rows a query ends with: its changelog applied (a streaming aggregate updates rows). */
    private static QueryResult collect(String statement, TableResult result) throws Exception {
        List<Row> rows = new ArrayList<>();
        try (CloseableIterator<Row> changes = result.collect()) {
            while (changes.hasNext()) {
                Row change = changes.next();
                RowKind kind = change.getKind();
                change.setKind(RowKind.INSERT);
                if (kind == RowKind.INSERT || kind == RowKind.UPDATE_AFTER) {
                    rows.add(change);
                } else {
                    rows.remove(change);
                }
            }
        }
        return new QueryResult(statement, result.getResolvedSchema().getColumnNames(), rows);
    }

    private static void createTopics(EmbeddedSystems systems, Set<String> topics) throws Exception {
        if (topics.isEmpty()) {
            return;
        }
        Set<String> existing;
        try (Admin admin = systems.kafka().admin()) {
            existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
        }
        for (String topic : topics) {
            if (!existing.contains(topic)) {
                systems.kafka().createTopic(topic, TOPIC_PARTITIONS);
            }
        }
    }

    /**
     * {@code examples/sql/<name>.sql} of the repository (found from {@code project.root.dir} or the
     * working directory and its parents), or {@code name} itself if it is a file.
     */
    static Path sqlFile(String name) throws IOException {
        Path given = Path.of(name);
        if (name.endsWith(".sql") && Files.isRegularFile(given)) {
            return given;
        }
        String fileName = name.endsWith(".sql") ? name : name + ".sql";
        List<Path> roots = new ArrayList<>();
        String rootDir = System.getProperty("project.root.dir");
        if (rootDir != null) {
            roots.add(Path.of(rootDir));
        }
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            roots.add(dir);
        }
        for (Path root : roots) {
            Path file = root.resolve("examples").resolve("sql").resolve(fileName);
            if (Files.isRegularFile(file)) {
                return file;
            }
        }
        throw new IOException(
                "No example "
                        + name
                        + ": neither a .sql file nor one of "
                        + SQL_EXAMPLES
                        + " (examples/sql/) or "
                        + DATASTREAM_EXAMPLES);
    }

    private static String count(int n, String one, String many) {
        return n + " " + (n == 1 ? one : many);
    }

    private static String abbreviate(String statement) {
        String line = statement.replaceAll("\\s+", " ");
        return line.length() <= 110 ? line : line.substring(0, 107) + "...";
    }

    private static Duration elapsed(long startNanos) {
        return Duration.ofNanos(System.nanoTime() - startNanos);
    }

    /** What an example did: statements run, INSERT jobs awaited, queries and their rows. */
    public record Outcome(
            String example,
            Path warehouse,
            int statements,
            int inserts,
            List<QueryResult> queries,
            Duration elapsed) {}

    /** A query's column names and final rows. */
    public record QueryResult(String statement, List<String> columns, List<Row> rows) {

        void print() {
            List<String[]> lines = new ArrayList<>();
            lines.add(columns.toArray(new String[0]));
            for (Row row : rows) {
                String[] cells = new String[row.getArity()];
                for (int i = 0; i < cells.length; i++) {
                    cells[i] = String.valueOf(row.getField(i));
                }
                lines.add(cells);
            }
            int[] widths = new int[columns.size()];
            for (String[] line : lines) {
                for (int i = 0; i < line.length && i < widths.length; i++) {
                    widths[i] = Math.max(widths[i], line[i].length());
                }
            }
            for (String[] line : lines) {
                StringBuilder text = new StringBuilder(" ");
                for (int i = 0; i < line.length && i < widths.length; i++) {
                    text.append(i == 0 ? " " : " | ")
                            .append(String.format("%-" + widths[i] + "s", line[i]));
                }
                LOG.info(text.toString().stripTrailing());
            }
            LOG.info("  ({})", count(rows.size(), "row", "rows"));
        }
    }
}
