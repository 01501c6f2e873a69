package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeCommitRetries;
import org.flinkconnectors.lake.core.LakeOverwrite;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.DataFile;
import org.apache.iceberg.OverwriteFiles;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.ReplacePartitions;
import org.apache.iceberg.Table;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;

/**
 * Commits the files of a bounded job to an Iceberg table as one snapshot that replaces rows, with
 * the same {@link LakeCommitId} idempotence as {@link IcebergCommitOperation}, so a retried commit
 * does not replace twice:
 *
 * <ul>
 *   <li>an unpartitioned table loses all its rows ({@code overwriteByRowFilter(alwaysTrue)});
 *   <li>a static partition that names every identity partition column loses that partition's rows,
 *       even if the job wrote none into it;
 *   <li>otherwise, a dynamic overwrite, exactly the partitions of the written files are replaced
 *       ({@code newReplacePartitions}), and nothing happens if no file was written.
 * </ul>
 */
@Internal
final class IcebergOverwriteOperation {

    private static final Logger LOG = LoggerFactory.getLogger(IcebergOverwriteOperation.class);

    private IcebergOverwriteOperation() {}

    /** Fails naming the column if a static partition column is not a column of the table. */
    static void check(Table table, String name, LakeOverwrite overwrite) {
        for (String column : overwrite.staticPartition().keySet()) {
            if (table.schema().findField(column) == null) {
                throw new IllegalArgumentException(
                        "Static partition column '" + column + "' is not a column of " + name);
            }
        }
    }

    static OptionalLong commit(
            Table table,
            String name,
            List<LakeWriteResult> results,
            LakeCommitId id,
            LakeOverwrite overwrite)
            throws IOException {
        List<DataFile> files = new ArrayList<>();
        for (LakeWriteResult result : results) {
            files.addAll(IcebergDataFiles.decode(result.files(), table.specs()));
        }
        return LakeCommitRetries.call(
                "overwrite",
                id,
                name,
                IcebergCommitOperation.RETRYABLE,
                () -> commitOnce(table, name, files, id, overwrite));
    }

    private static OptionalLong commitOnce(
            Table table,
            String name,
            List<DataFile> files,
            LakeCommitId id,
            LakeOverwrite overwrite) {
        table.refresh();
        List<String> locations = files.stream().map(DataFile::location).toList();
        IcebergCommits.Found previous = IcebergCommits.find(table, id, locations);
        if (previous != null) {
            LOG.info(
                    "Overwrite of write {} (job {}) is already committed to {} {}; skipping.",
                    id.writeId(),
                    id.jobId(),
                    name,
                    previous.describe());
            return OptionalLong.empty();
        }
        Expression replaced = rowFilter(table.spec(), table, overwrite.staticPartition());
        if (replaced == null && files.isEmpty()) {
            return OptionalLong.empty(); // a dynamic overwrite that wrote no partition
        }
        IcebergCommits.commit(
                table,
                id,
                tx -> {
                    if (replaced != null) {
                        OverwriteFiles byFilter = tx.newOverwrite().overwriteByRowFilter(replaced);
                        files.forEach(byFilter::addFile);
                        return byFilter;
                    }
                    ReplacePartitions partitions = tx.newReplacePartitions();
                    files.forEach(partitions::addFile);
                    return partitions;
                });
        long version = IcebergCommits.find(table, id, List.of()).snapshot().snapshotId();
        LOG.info(
                "Overwrote {} with {} files ({}) as snapshot {}.",
                name,
                files.size(),
                replaced != null ? replaced : "replacing the partitions written",
                version);
        return OptionalLong.of(version);
    }

    /**
     * The rows a filter overwrite replaces: all for an unpartitioned table, the static partition's
     * if it fixes every identity partition column; null for a partition-by-partition replace.
     */
    private static Expression rowFilter(
            PartitionSpec spec, Table table, Map<String, String> staticPartition) {
        if (spec.isUnpartitioned()) {
            return Expressions.alwaysTrue();
        }
        Set<String> identitySources = new HashSet<>();
        for (PartitionField field : spec.fields()) {
            if (!field.transform().isIdentity()) {
                return null;
            }
            identitySources.add(table.schema().findColumnName(field.sourceId()));
        }
        if (!staticPartition.keySet().containsAll(identitySources)) {
            return null;
        }
        Expression filter = Expressions.alwaysTrue();
        for (String column : identitySources) {
            String value = staticPartition.get(column);
            Types.NestedField field = table.schema().findField(column);
            filter =
                    Expressions.and(
                            filter,
                            value == null
                                    ? Expressions.isNull(column)
                                    : Expressions.equal(
                                            column,
                                            Conversions.fromPartitionString(field.type(), value)));
        }
        return filter;
    }
}
