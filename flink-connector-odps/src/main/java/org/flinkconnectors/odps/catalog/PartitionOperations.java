package org.flinkconnectors.odps.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionImpl;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.PartitionAlreadyExistsException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionSpecInvalidException;
import org.apache.flink.table.catalog.exceptions.TableNotExistException;
import org.apache.flink.table.catalog.exceptions.TableNotPartitionedException;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;

import com.aliyun.odps.Column;
import com.aliyun.odps.Partition;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The partition part of the {@link OdpsCatalog}: listing (with a partial spec), lookup, creation,
 * removal and statistics of the partitions of MaxCompute tables. Partition keys in a Flink spec
 * match MaxCompute's case-insensitively; values are passed on as text.
 */
@Internal
final class PartitionOperations {

    private final String catalogName;
    private final OdpsMetadataClient client;

    PartitionOperations(String catalogName, OdpsMetadataClient client) {
        this.catalogName = catalogName;
        this.client = client;
    }

    /** The partitions matching {@code filter}, which may name any subset of the keys. */
    List<CatalogPartitionSpec> list(ObjectPath path, CatalogPartitionSpec filter)
            throws TableNotExistException,
                    TableNotPartitionedException,
                    PartitionSpecInvalidException {
        Table table = partitionedTable(path);
        List<String> keys = keys(table);
        Map<String, String> wanted = normalize(path, keys, filter, false);
        // The service filters on leading partition values only; the rest is filtered here.
        PartitionSpec prefix = new PartitionSpec();
        for (String key : keys) {
            if (!wanted.containsKey(key)) {
                break;
            }
            prefix.set(key, wanted.get(key));
        }
        List<CatalogPartitionSpec> specs = new ArrayList<>();
        for (Partition partition : client.partitions(table, prefix)) {
            Map<String, String> values = toMap(partition.getPartitionSpec());
            if (values.entrySet().containsAll(wanted.entrySet())) {
                specs.add(new CatalogPartitionSpec(values));
            }
        }
        return specs;
    }

    CatalogPartition get(ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        load(tableOf(path, spec), path, spec);
        return new CatalogPartitionImpl(Map.of(), null);
    }

    boolean exists(ObjectPath path, CatalogPartitionSpec spec) {
        try {
            load(tableOf(path, spec), path, spec);
            return true;
        } catch (PartitionNotExistException e) {
            return false;
        }
    }

    void create(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfExists)
            throws TableNotExistException,
                    TableNotPartitionedException,
                    PartitionSpecInvalidException,
                    PartitionAlreadyExistsException {
        Table table = partitionedTable(path);
        PartitionSpec odpsSpec = toOdpsSpec(normalize(path, keys(table), spec, true));
        if (client.partition(table, odpsSpec).isPresent()) {
            if (ignoreIfExists) {
                return;
            }
            throw new PartitionAlreadyExistsException(catalogName, path, spec);
        }
        client.createPartition(table, odpsSpec, ignoreIfExists);
    }

    void drop(ObjectPath path, CatalogPartitionSpec spec, boolean ignoreIfNotExists)
            throws PartitionNotExistException {
        Table table;
        try {
            table = tableOf(path, spec);
            load(table, path, spec);
        } catch (PartitionNotExistException e) {
            if (ignoreIfNotExists) {
                return;
            }
            throw e;
        }
        client.dropPartition(table, toOdpsSpec(normalizeExisting(table, path, spec)));
    }

    /** Row count and size as MaxCompute records them; -1 where it does not know. */
    CatalogTableStatistics statistics(ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        Partition partition = load(tableOf(path, spec), path, spec);
        return new CatalogTableStatistics(partition.getRecordNum(), -1, partition.getSize(), -1);
    }

    /** A partition of a missing or unpartitioned table does not exist either. */
    private Table tableOf(ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        try {
            return partitionedTable(path);
        } catch (TableNotExistException | TableNotPartitionedException e) {
            throw new PartitionNotExistException(catalogName, path, spec, e);
        }
    }

    private Partition load(Table table, ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        return client.partition(table, toOdpsSpec(normalizeExisting(table, path, spec)))
                .orElseThrow(() -> new PartitionNotExistException(catalogName, path, spec));
    }

    /** A complete spec; one that is not cannot name an existing partition. */
    private Map<String, String> normalizeExisting(
            Table table, ObjectPath path, CatalogPartitionSpec spec)
            throws PartitionNotExistException {
        try {
            return normalize(path, keys(table), spec, true);
        } catch (PartitionSpecInvalidException e) {
            throw new PartitionNotExistException(catalogName, path, spec, e);
        }
    }

    private Table partitionedTable(ObjectPath path)
            throws TableNotExistException, TableNotPartitionedException {
        Table table =
                client.table(path.getDatabaseName(), path.getObjectName())
                        .orElseThrow(() -> new TableNotExistException(catalogName, path));
        if (table.getSchema().getPartitionColumns().isEmpty()) {
            throw new TableNotPartitionedException(catalogName, path);
        }
        return table;
    }

    private static List<String> keys(Table table) {
        List<String> keys = new ArrayList<>();
        for (Column column : table.getSchema().getPartitionColumns()) {
            keys.add(column.getName());
        }
        return keys;
    }

    /**
     * The spec with the table's spelling of each key, in the table's key order.
     *
     * @param complete whether every partition key must have a value
     */
    private Map<String, String> normalize(
            ObjectPath path, List<String> keys, CatalogPartitionSpec spec, boolean complete)
            throws PartitionSpecInvalidException {
        Map<String, String> byLowerKey = new LinkedHashMap<>();
        spec.getPartitionSpec().forEach((k, v) -> byLowerKey.put(lower(k), v));
        Map<String, String> normalized = new LinkedHashMap<>();
        for (String key : keys) {
            String value = byLowerKey.remove(lower(key));
            if (value != null) {
                checkValue(path, key, value);
                normalized.put(key, value);
            }
        }
        if (!byLowerKey.isEmpty() || (complete && normalized.size() != keys.size())) {
            throw new PartitionSpecInvalidException(catalogName, keys, path, spec);
        }
        return normalized;
    }

    /** The SDK writes values into SQL between single quotes without escaping them. */
    private static void checkValue(ObjectPath path, String key, String value) {
        if (value.isEmpty() || value.indexOf('\'') >= 0 || value.indexOf('\\') >= 0) {
            throw new CatalogException(
                    String.format(
                            "Invalid value '%s' of partition key '%s' of table %s: MaxCompute"
                                    + " partition values are non-empty and contain neither quotes"
                                    + " nor backslashes.",
                            value, key, path.getFullName()));
        }
    }

    private static PartitionSpec toOdpsSpec(Map<String, String> values) {
        PartitionSpec spec = new PartitionSpec();
        values.forEach(spec::set);
        return spec;
    }

    private static Map<String, String> toMap(PartitionSpec spec) {
        Map<String, String> values = new LinkedHashMap<>();
        for (String key : spec.keys()) {
            values.put(key, spec.get(key));
        }
        return values;
    }

    private static String lower(String name) {
        return name.toLowerCase(Locale.ROOT);
    }
}
