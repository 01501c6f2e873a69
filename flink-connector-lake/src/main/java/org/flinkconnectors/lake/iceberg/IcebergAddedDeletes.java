package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.MetadataColumns;
import org.apache.iceberg.PartitionField;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.expressions.InclusiveMetricsEvaluator;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.types.Comparators;
import org.apache.iceberg.types.Conversions;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.ContentFileUtil;
import org.apache.iceberg.util.StructLikeWrapper;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The delete files one snapshot added, and which of them can delete rows of a given data file,
 * following Iceberg's scoping rules without its package-private {@code DeleteFileIndex}:
 *
 * <ul>
 *   <li>a deletion vector or a file-scoped position delete file applies to the one data file it
 *       references;
 *   <li>a partition-scoped position delete file applies to the data files of its partition whose
 *       location lies within the bounds of its {@code file_path} column;
 *   <li>an equality delete file applies only to data files with a lower sequence number, so never
 *       to the files of its own snapshot; to the others of its partition (all partitions if its
 *       spec is unpartitioned) whose key column statistics can match its keys.
 * </ul>
 *
 * <p>Applying a delete file to a file it does not touch is harmless (the reader tests each row), so
 * the scoping only saves reads.
 */
@Internal
final class IcebergAddedDeletes {

    private record EqualityDelete(
            DeleteFile file, Expression candidates, InclusiveMetricsEvaluator keys) {}

    private final Map<Integer, PartitionSpec> specs;
    private final List<DeleteFile> positionDeletes = new ArrayList<>();
    private final List<EqualityDelete> equalityDeletes = new ArrayList<>();
    private final Set<String> keyColumns = new LinkedHashSet<>();

    /**
     * @param schema the schema the data files are scanned with, to name the key columns
     * @param inputFiles opens delete files (decrypting them) to read small key sets
     */
    IcebergAddedDeletes(
            Iterable<DeleteFile> added,
            Map<Integer, PartitionSpec> specs,
            Schema schema,
            Function<DeleteFile, InputFile> inputFiles) {
        this.specs = specs;
        for (DeleteFile delete : added) {
            if (delete.content() == FileContent.POSITION_DELETES) {
                positionDeletes.add(delete);
            } else {
                Expression keys = IcebergEqualityDeleteKeys.filter(delete, schema, inputFiles);
                equalityDeletes.add(
                        new EqualityDelete(
                                delete,
                                Expressions.and(partitionFilter(delete, schema), keys),
                                new InclusiveMetricsEvaluator(schema, keys, true)));
                for (int id : delete.equalityFieldIds()) {
                    Types.NestedField field = schema.findField(id);
                    if (field != null) {
                        keyColumns.add(field.name());
                    }
                }
            }
        }
    }

    /** Whether some delete file may delete rows of data files not among these. */
    boolean reachesFilesOtherThan(Set<String> locations) {
        return !equalityDeletes.isEmpty()
                || positionDeletes.stream()
                        .map(ContentFileUtil::referencedDataFileLocation)
                        .anyMatch(location -> location == null || !locations.contains(location));
    }

    /** Whether all delete files that may reach other data files than these are equality deletes. */
    boolean onlyEqualityDeletesReach(Set<String> locations) {
        return positionDeletes.stream()
                .map(ContentFileUtil::referencedDataFileLocation)
                .allMatch(location -> location != null && locations.contains(location));
    }

    /** Whether a position delete file or deletion vector references the data file. */
    boolean deletePositionsOf(String location) {
        return positionDeletes.stream()
                .anyMatch(d -> location.equals(ContentFileUtil.referencedDataFileLocation(d)));
    }

    /** Whether a position delete file in the partition of the removed delete file was added. */
    boolean deletePositionsInPartitionOf(DeleteFile removed) {
        return positionDeletes.stream().anyMatch(d -> samePartition(d, removed));
    }

    /** The key columns of the equality deletes, whose statistics the candidate scan needs. */
    Set<String> keyColumns() {
        return keyColumns;
    }

    /**
     * A row filter of the parent's data files that equality deletes may touch: per delete file its
     * identity partition values and its keys, or'ed.
     */
    Expression equalityCandidates() {
        return equalityDeletes.stream()
                .map(EqualityDelete::candidates)
                .reduce(Expressions.alwaysFalse(), Expressions::or);
    }

    /** The position deletes and deletion vectors of the snapshot that may touch its own file. */
    List<DeleteFile> forAddedFile(DataFile file) {
        List<DeleteFile> applicable = new ArrayList<>();
        for (DeleteFile delete : positionDeletes) {
            if (positionsMayTouch(delete, file)) {
                applicable.add(delete);
            }
        }
        return applicable;
    }

    /** The delete files of the snapshot that may touch a data file of the parent snapshot. */
    List<DeleteFile> forExistingFile(DataFile file) {
        List<DeleteFile> applicable = forAddedFile(file);
        for (EqualityDelete delete : equalityDeletes) {
            PartitionSpec spec = specs.get(delete.file().specId());
            if ((spec.isUnpartitioned() || samePartition(delete.file(), file))
                    && delete.keys().eval(file)) {
                applicable.add(delete.file());
            }
        }
        return applicable;
    }

    private boolean positionsMayTouch(DeleteFile delete, DataFile file) {
        String referenced = ContentFileUtil.referencedDataFileLocation(delete);
        if (referenced != null) {
            return referenced.equals(file.location());
        }
        return samePartition(delete, file) && withinPathBounds(delete, file.location());
    }

    private static boolean withinPathBounds(DeleteFile delete, String location) {
        int pathId = MetadataColumns.DELETE_FILE_PATH.fieldId();
        CharSequence lower = pathBound(delete.lowerBounds(), pathId);
        CharSequence upper = pathBound(delete.upperBounds(), pathId);
        return (lower == null || Comparators.charSequences().compare(lower, location) <= 0)
                && (upper == null || Comparators.charSequences().compare(location, upper) <= 0);
    }

    private static CharSequence pathBound(Map<Integer, ByteBuffer> bounds, int pathId) {
        ByteBuffer bound = bounds == null ? null : bounds.get(pathId);
        return bound == null
                ? null
                : Conversions.fromByteBuffer(Types.StringType.get(), bound.duplicate());
    }

    private boolean samePartition(ContentFile<?> a, ContentFile<?> b) {
        if (a.specId() != b.specId()) {
            return false;
        }
        Types.StructType type = specs.get(a.specId()).partitionType();
        return StructLikeWrapper.forType(type)
                .set(a.partition())
                .equals(StructLikeWrapper.forType(type).set(b.partition()));
    }

    /** Equal to the identity-partition values of the delete file; other transforms stay open. */
    private Expression partitionFilter(DeleteFile delete, Schema schema) {
        PartitionSpec spec = specs.get(delete.specId());
        StructLike partition = delete.partition();
        Expression filter = Expressions.alwaysTrue();
        List<PartitionField> fields = spec.fields();
        for (int i = 0; i < fields.size(); i++) {
            PartitionField field = fields.get(i);
            String column = schema.findColumnName(field.sourceId());
            if (!field.transform().isIdentity() || column == null) {
                continue;
            }
            Object value = partition.get(i, Object.class);
            filter =
                    Expressions.and(
                            filter,
                            value == null
                                    ? Expressions.isNull(column)
                                    : Expressions.equal(column, value));
        }
        return filter;
    }
}
