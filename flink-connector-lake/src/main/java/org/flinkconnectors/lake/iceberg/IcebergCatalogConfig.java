package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeClassLoading;
import org.flinkconnectors.lake.core.LakeHadoopConf;

import org.apache.flink.annotation.PublicEvolving;

import org.apache.hadoop.conf.Configuration;
import org.apache.iceberg.CatalogProperties;
import org.apache.iceberg.CatalogUtil;
import org.apache.iceberg.catalog.Catalog;

import javax.annotation.Nullable;

import java.io.Serializable;
import java.util.HashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

/**
 * How to reach an Iceberg catalog: its type ({@code hadoop}, {@code jdbc} or {@code rest}), name
 * and properties, as Iceberg's {@link CatalogUtil#buildIcebergCatalog} takes them. Holds only
 * strings, so it is serializable and opens a new catalog wherever it is used.
 *
 * <p>The properties may hold secrets ({@code jdbc.password}, {@code credential}, {@code token});
 * {@link #toString()} and {@link #describe()} never print them, nor the query part or user info of
 * the URI.
 *
 * <pre>{@code
 * IcebergCatalogConfig jdbc =
 *         IcebergCatalogConfig.jdbc("jdbc:sqlite:/data/catalog.db", "/data/warehouse")
 *                 .withProperty("jdbc.user", "flink");
 * }</pre>
 */
@PublicEvolving
public final class IcebergCatalogConfig implements Serializable {

    private static final long serialVersionUID = 1L;

    public static final String HADOOP = CatalogUtil.ICEBERG_CATALOG_TYPE_HADOOP;
    public static final String JDBC = CatalogUtil.ICEBERG_CATALOG_TYPE_JDBC;
    public static final String REST = CatalogUtil.ICEBERG_CATALOG_TYPE_REST;

    /** The catalog types the lake connector opens. */
    public static final Set<String> TYPES = Set.of(HADOOP, JDBC, REST);

    /** The catalog name when none is given; JDBC catalogs key their tables by it. */
    public static final String DEFAULT_NAME = "lake";

    /** Catalog properties that are secrets: never printed. */
    public static final Set<String> SECRET_PROPERTIES =
            Set.of("jdbc.password", "credential", "token");

    private final String type;
    private final String name;
    private final Map<String, String> properties;
    private final Map<String, String> hadoopProperties;

    private IcebergCatalogConfig(
            String type,
            String name,
            Map<String, String> properties,
            Map<String, String> hadoopProperties) {
        if (!TYPES.contains(type)) {
            throw new IllegalArgumentException(
                    "Unknown Iceberg catalog type '" + type + "'; valid types are " + TYPES);
        }
        this.type = type;
        this.name = Objects.requireNonNull(name, "name");
        this.properties = Map.copyOf(properties);
        this.hadoopProperties = Map.copyOf(hadoopProperties);
    }

    /** A Hadoop catalog: tables at {@code <warehouse>/<database>/<table>}. */
    public static IcebergCatalogConfig hadoop(String warehouse) {
        return new IcebergCatalogConfig(
                HADOOP,
                DEFAULT_NAME,
                Map.of(CatalogProperties.WAREHOUSE_LOCATION, warehouse),
                Map.of());
    }

    /** A JDBC catalog at {@code uri}; new tables go below {@code warehouse}. */
    public static IcebergCatalogConfig jdbc(String uri, String warehouse) {
        return new IcebergCatalogConfig(
                JDBC,
                DEFAULT_NAME,
                Map.of(CatalogProperties.URI, uri, CatalogProperties.WAREHOUSE_LOCATION, warehouse),
                Map.of());
    }

    /** A REST catalog at {@code uri}; the server chooses where tables live. */
    public static IcebergCatalogConfig rest(String uri) {
        return new IcebergCatalogConfig(
                REST, DEFAULT_NAME, Map.of(CatalogProperties.URI, uri), Map.of());
    }

    /** The same catalog with one more Iceberg catalog property (e.g. {@code jdbc.user}). */
    public IcebergCatalogConfig withProperty(String key, String value) {
        Map<String, String> more = new HashMap<>(properties);
        more.put(key, value);
        return new IcebergCatalogConfig(type, name, more, hadoopProperties);
    }

    /** The same catalog under another name (JDBC catalogs keep tables per catalog name). */
    public IcebergCatalogConfig withName(String catalogName) {
        return new IcebergCatalogConfig(type, catalogName, properties, hadoopProperties);
    }

    /** The same catalog with these entries set on the Hadoop configuration its FileIO uses. */
    public IcebergCatalogConfig withHadoopProperties(Map<String, String> hadoop) {
        Map<String, String> more = new HashMap<>(hadoopProperties);
        more.putAll(hadoop);
        return new IcebergCatalogConfig(type, name, properties, more);
    }

    public String type() {
        return type;
    }

    public String name() {
        return name;
    }

    @Nullable
    public String property(String key) {
        return properties.get(key);
    }

    /** The secret properties that are set (for handing on, never for printing). */
    public Map<String, String> secretProperties() {
        Map<String, String> secrets = new HashMap<>();
        SECRET_PROPERTIES.forEach(
                key -> {
                    if (properties.containsKey(key)) {
                        secrets.put(key, properties.get(key));
                    }
                });
        return secrets;
    }

    /** Opens a new catalog client; the caller closes it (Iceberg's catalogs are Closeable). */
    public Catalog open() {
        IcebergStaticResources.registerRelease();
        Configuration conf = LakeHadoopConf.create(hadoopProperties);
        Map<String, String> props = new HashMap<>(properties);
        props.put(CatalogUtil.ICEBERG_CATALOG_TYPE, type);
        return LakeClassLoading.withConnectorClassLoader(
                () -> CatalogUtil.buildIcebergCatalog(name, props, conf));
    }

    /** E.g. {@code jdbc catalog 'lake' at jdbc:sqlite:/data/catalog.db}, without secrets. */
    public String describe() {
        String location =
                type.equals(HADOOP)
                        ? properties.get(CatalogProperties.WAREHOUSE_LOCATION)
                        : redact(properties.get(CatalogProperties.URI));
        return type + " catalog '" + name + "' at " + location;
    }

    /** Drops a URI's user info and query or driver properties, where passwords may hide. */
    static String redact(@Nullable String uri) {
        if (uri == null) {
            return "<no uri>";
        }
        String redacted = uri;
        int cut = indexOfAny(redacted, '?', ';');
        if (cut >= 0) {
            redacted = redacted.substring(0, cut) + "?...";
        }
        int scheme = redacted.indexOf("//");
        int at = redacted.indexOf('@');
        if (scheme >= 0 && at > scheme) {
            redacted = redacted.substring(0, scheme + 2) + "***@" + redacted.substring(at + 1);
        }
        return redacted;
    }

    private static int indexOfAny(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : (b < 0 ? a : Math.min(a, b));
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof IcebergCatalogConfig other)) {
            return false;
        }
        return type.equals(other.type)
                && name.equals(other.name)
                && properties.equals(other.properties)
                && hadoopProperties.equals(other.hadoopProperties);
    }

    @Override
    public int hashCode() {
        return Objects.hash(type, name, properties, hadoopProperties);
    }

    @Override
    public String toString() {
        return "IcebergCatalogConfig{" + describe() + '}';
    }
}
