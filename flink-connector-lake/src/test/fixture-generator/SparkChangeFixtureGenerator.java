import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes the Spark-made lake fixtures of flink-connector-lake (see README.md beside this file). Not
 * compiled by the build: run it with Java's single-file launcher on a classpath of Spark, Iceberg's
 * Spark runtime and delta-spark.
 *
 * <p>{@code iceberg <out>} writes {@code <out>/spark_mor_v2} and {@code <out>/spark_mor_v3};
 * {@code delta <out>} writes {@code <out>/spark_cdf_cow} and {@code <out>/spark_cdf_dv}. Each table
 * gets an {@code expected/} folder with the rows Spark reads at every snapshot or version.
 */
public class SparkChangeFixtureGenerator {

    /**
     * Iceberg stores absolute paths; the tables are written under this fixed directory, and the
     * tests relocate them from here (SparkFixtures in the test sources).
     */
    static final String ICEBERG_WAREHOUSE = "/tmp/flinkconnectors-spark-fixtures/warehouse";

    static final String COLUMNS = "id INT NOT NULL, name STRING, amount BIGINT, region STRING";

    /** ids 1..30 over three regions: id % 3 = 0 apac, 1 eu, 2 us. */
    static final String FIRST_INSERT =
            "SELECT CAST(id AS INT), concat('name-', id), id * 10,"
                    + " element_at(array('apac', 'eu', 'us'), CAST(id % 3 AS INT) + 1)"
                    + " FROM range(1, 31, 1, 1)";

    static final String LAST_INSERT =
            "VALUES (33, 'name-33', 330, 'eu'), (34, 'name-34', 340, 'us'),"
                    + " (35, 'name-35', 350, 'apac')";

    static final String DELETE = "DELETE FROM %s WHERE id IN (3, 4, 17)";

    static final String UPDATE =
            "UPDATE %s SET amount = amount + 1000, name = concat(name, '-u') WHERE id % 7 = 0";

    /**
     * Matched update (1, 8; 11 moves from us to eu), matched delete (2, 9), not matched insert (31,
     * 32).
     */
    static final String MERGE =
            "MERGE INTO %s t USING (SELECT * FROM VALUES"
                    + " (1, 'merged-1', 111, 'eu', 'upd'), (8, 'merged-8', 888, 'us', 'upd'),"
                    + " (11, 'merged-11', 1111, 'eu', 'upd'),"
                    + " (2, null, null, null, 'del'), (9, null, null, null, 'del'),"
                    + " (31, 'name-31', 310, 'eu', 'ins'), (32, 'name-32', 320, 'us', 'ins')"
                    + " AS s(id, name, amount, region, op)) s"
                    + " ON t.id = s.id"
                    + " WHEN MATCHED AND s.op = 'del' THEN DELETE"
                    + " WHEN MATCHED THEN UPDATE SET t.name = s.name, t.amount = s.amount,"
                    + " t.region = s.region"
                    + " WHEN NOT MATCHED THEN INSERT (id, name, amount, region)"
                    + " VALUES (s.id, s.name, s.amount, s.region)";

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[1]).toAbsolutePath();
        Files.createDirectories(out);
        switch (args[0]) {
            case "iceberg" -> iceberg(out);
            case "delta" -> delta(out);
            default -> throw new IllegalArgumentException("iceberg or delta, not " + args[0]);
        }
    }

    // ---------------------------------------------------------------- Iceberg

    static void iceberg(Path out) throws Exception {
        deleteRecursively(Path.of(ICEBERG_WAREHOUSE));
        SparkSession spark =
                base().config(
                                "spark.sql.extensions",
                                "org.apache.iceberg.spark.extensions.IcebergSparkSessionExtensions")
                        .config("spark.sql.catalog.fx", "org.apache.iceberg.spark.SparkCatalog")
                        .config("spark.sql.catalog.fx.type", "hadoop")
                        .config("spark.sql.catalog.fx.warehouse", "file:" + ICEBERG_WAREHOUSE)
                        .getOrCreate();
        try {
            icebergTable(spark, out, "spark_mor_v2", 2);
            icebergTable(spark, out, "spark_mor_v3", 3);
        } finally {
            spark.stop();
        }
    }

    static void icebergTable(SparkSession spark, Path out, String name, int formatVersion)
            throws IOException {
        String t = "fx.db." + name;
        sql(
                spark,
                "CREATE TABLE "
                        + t
                        + " ("
                        + COLUMNS
                        + ") USING iceberg PARTITIONED BY (region) TBLPROPERTIES ("
                        + "'format-version' = '"
                        + formatVersion
                        + "', 'write.delete.mode' = 'merge-on-read',"
                        + " 'write.update.mode' = 'merge-on-read',"
                        + " 'write.merge.mode' = 'merge-on-read',"
                        // time travel needs the snapshots of the current metadata file only
                        + " 'write.metadata.delete-after-commit.enabled' = 'true',"
                        + " 'write.metadata.previous-versions-max' = '1')");
        sql(spark, "ALTER TABLE " + t + " SET IDENTIFIER FIELDS id");
        List<String> steps = List.of("insert", "delete", "update", "merge", "insert");
        sql(spark, "INSERT INTO " + t + " " + FIRST_INSERT);
        sql(spark, DELETE.replace("%s", t));
        sql(spark, UPDATE.replace("%s", t));
        sql(spark, MERGE.replace("%s", t));
        sql(spark, "INSERT INTO " + t + " " + LAST_INSERT);

        List<Row> snapshots =
                spark.sql(
                                "SELECT snapshot_id, parent_id, operation FROM "
                                        + t
                                        + ".snapshots ORDER BY committed_at")
                        .collectAsList();
        if (snapshots.size() != steps.size()) {
            throw new IllegalStateException("expected one snapshot per step: " + snapshots);
        }
        String location =
                spark.sql("DESCRIBE TABLE EXTENDED " + t).collectAsList().stream()
                        .filter(r -> "Location".equals(r.getString(0)))
                        .map(r -> r.getString(1))
                        .findFirst()
                        .orElseThrow();
        Path tableDir = Path.of(ICEBERG_WAREHOUSE, "db", name);
        // No Spark changelog is written for Iceberg: Iceberg 1.11's changelog scan (Spark's
        // create_changelog_view) rejects snapshots with delete files.
        Path expected = tableDir.resolve("expected");
        Files.createDirectories(expected);

        List<String> index = new ArrayList<>();
        index.add("snapshot_id,parent_id,operation,step");
        List<String> files = new ArrayList<>();
        files.add("snapshot_id,status,content,file_format,record_count,file,referenced_data_file");
        for (int i = 0; i < snapshots.size(); i++) {
            Row s = snapshots.get(i);
            long id = s.getLong(0);
            String parent = s.isNullAt(1) ? "" : String.valueOf(s.getLong(1));
            index.add(id + "," + parent + "," + s.getString(2) + "," + steps.get(i));
            write(
                    expected.resolve(id + ".csv"),
                    spark.sql(
                                    "SELECT id, name, amount, region FROM "
                                            + t
                                            + " VERSION AS OF "
                                            + id
                                            + " ORDER BY id")
                            .collectAsList());
            for (Row f :
                    spark.sql(
                                    "SELECT status, data_file.content, data_file.file_format,"
                                            + " data_file.record_count, data_file.file_path,"
                                            + " data_file.referenced_data_file FROM "
                                            + t
                                            + ".all_entries WHERE snapshot_id = "
                                            + id
                                            + " AND status <> 0"
                                            + " ORDER BY data_file.content, data_file.file_path")
                            .collectAsList()) {
                files.add(
                        String.join(
                                ",",
                                id + "",
                                f.getInt(0) == 1 ? "ADDED" : "DELETED",
                                switch (f.getInt(1)) {
                                    case 0 -> "DATA";
                                    case 1 -> "POSITION_DELETES";
                                    default -> "EQUALITY_DELETES";
                                },
                                f.getString(2),
                                String.valueOf(f.getLong(3)),
                                relative(f.getString(4), location),
                                f.isNullAt(5) ? "" : relative(f.getString(5), location)));
            }
        }
        Files.write(expected.resolve("snapshots.csv"), index);
        Files.write(expected.resolve("files.csv"), files);
        Path target = out.resolve(name);
        deleteRecursively(target);
        copyWithoutHadoopChecksums(tableDir, target);
    }

    // ---------------------------------------------------------------- Delta

    static void delta(Path out) throws Exception {
        SparkSession spark =
                base().config(
                                "spark.sql.extensions",
                                "io.delta.sql.DeltaSparkSessionExtension")
                        .config(
                                "spark.sql.catalog.spark_catalog",
                                "org.apache.spark.sql.delta.catalog.DeltaCatalog")
                        .getOrCreate();
        try {
            deltaTable(spark, out.resolve("spark_cdf_cow"), false);
            deltaTable(spark, out.resolve("spark_cdf_dv"), true);
        } finally {
            spark.stop();
        }
        try (Stream<Path> walk = Files.walk(out)) {
            for (Path p : walk.filter(SparkChangeFixtureGenerator::isHadoopChecksum).toList()) {
                Files.delete(p);
            }
        }
    }

    static void deltaTable(SparkSession spark, Path dir, boolean deletionVectors)
            throws IOException {
        deleteRecursively(dir);
        String t = "delta.`" + dir + "`";
        List<String> steps = List.of("create", "insert", "update", "delete", "merge", "insert");
        sql(
                spark,
                "CREATE TABLE "
                        + t
                        + " ("
                        + COLUMNS
                        + ") USING delta PARTITIONED BY (region) TBLPROPERTIES ("
                        + "'delta.enableChangeDataFeed' = 'true',"
                        + " 'delta.enableDeletionVectors' = '"
                        + deletionVectors
                        + "')");
        sql(spark, "INSERT INTO " + t + " " + FIRST_INSERT);
        sql(spark, UPDATE.replace("%s", t));
        sql(spark, DELETE.replace("%s", t));
        sql(spark, MERGE.replace("%s", t));
        sql(spark, "INSERT INTO " + t + " " + LAST_INSERT);

        Path expected = dir.resolve("expected");
        Files.createDirectories(expected.resolve("changes"));
        List<String> index = new ArrayList<>();
        index.add(
                "version,operation,step,data_files_added,data_files_removed,"
                        + "change_data_files_added,deletion_vectors_added");
        List<Row> history =
                spark.sql("DESCRIBE HISTORY " + t + " ").orderBy("version").collectAsList();
        for (Row h : history) {
            long v = h.getLong(h.fieldIndex("version"));
            scala.collection.Map<String, String> m =
                    h.getMap(h.fieldIndex("operationMetrics"));
            index.add(
                    String.join(
                            ",",
                            v + "",
                            h.getString(h.fieldIndex("operation")).replace(' ', '_'),
                            steps.get((int) v),
                            metric(m, "numAddedFiles", "numFiles", "numTargetFilesAdded"),
                            metric(m, "numRemovedFiles", "numTargetFilesRemoved"),
                            metric(m, "numAddedChangeFiles", "numTargetChangeFilesAdded"),
                            metric(m, "numDeletionVectorsAdded", "numTargetDeletionVectorsAdded")));
            write(
                    expected.resolve(v + ".csv"),
                    spark.sql(
                                    "SELECT id, name, amount, region FROM "
                                            + t
                                            + " VERSION AS OF "
                                            + v
                                            + " ORDER BY id")
                            .collectAsList());
            write(
                    expected.resolve("changes").resolve(v + ".csv"),
                    spark.sql(
                                    "SELECT id, name, amount, region, _change_type FROM"
                                            + " table_changes_by_path('"
                                            + dir
                                            + "', "
                                            + v
                                            + ", "
                                            + v
                                            + ") ORDER BY id, _change_type")
                            .collectAsList());
        }
        Files.write(expected.resolve("versions.csv"), index);
    }

    static String metric(scala.collection.Map<String, String> m, String... keys) {
        for (String k : keys) {
            if (m.contains(k)) {
                return m.apply(k);
            }
        }
        return "";
    }

    // ---------------------------------------------------------------- helpers

    static SparkSession.Builder base() {
        return SparkSession.builder()
                .master("local[1]")
                .appName("lake-fixtures")
                .config("spark.ui.enabled", "false")
                .config("spark.sql.shuffle.partitions", "1")
                .config("spark.default.parallelism", "1")
                .config("spark.sql.session.timeZone", "UTC");
    }

    static void sql(SparkSession spark, String statement) {
        System.out.println("SQL> " + statement);
        spark.sql(statement).collectAsList();
    }

    /** One line a row, fields joined by commas, null as an empty field; no value has a comma. */
    static void write(Path file, List<Row> rows) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Row r : rows) {
            List<String> fields = new ArrayList<>();
            for (int i = 0; i < r.length(); i++) {
                String v = r.isNullAt(i) ? "" : String.valueOf(r.get(i));
                if (v.contains(",") || v.contains("\n")) {
                    throw new IllegalStateException("value with a separator: " + v);
                }
                fields.add(v);
            }
            lines.add(String.join(",", fields));
        }
        Files.write(file, lines);
    }

    static String relative(String path, String location) {
        String prefix = location.endsWith("/") ? location : location + "/";
        if (!path.startsWith(prefix)) {
            throw new IllegalStateException(path + " is not under " + prefix);
        }
        return path.substring(prefix.length());
    }

    static String firstLine(String message) {
        return message == null ? "" : message.lines().findFirst().orElse("");
    }

    static boolean isHadoopChecksum(Path p) {
        String n = p.getFileName().toString();
        return n.startsWith(".") && n.endsWith(".crc");
    }

    static void copyWithoutHadoopChecksums(Path from, Path to) throws IOException {
        try (Stream<Path> walk = Files.walk(from)) {
            for (Path p : walk.sorted().collect(Collectors.toList())) {
                if (isHadoopChecksum(p)) {
                    continue;
                }
                Path target = to.resolve(from.relativize(p).toString());
                if (Files.isDirectory(p)) {
                    Files.createDirectories(target);
                } else {
                    Files.copy(p, target);
                }
            }
        }
    }

    static void deleteRecursively(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(p);
            }
        }
    }
}
