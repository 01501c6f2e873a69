package org.flinkconnectors.lake.iceberg;

import org.apache.flink.core.memory.DataOutputSerializer;

import org.apache.iceberg.ContentFileParser;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.DataFiles;
import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileMetadata;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.types.Types;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The versioned payload of Iceberg write results: version 2 round trips, version 1 still reads. */
class IcebergDataFilesTest {

    private static final Schema SCHEMA =
            new Schema(
                    Types.NestedField.required(1, "id", Types.LongType.get()),
                    Types.NestedField.optional(2, "part", Types.IntegerType.get()));
    private static final PartitionSpec SPEC =
            PartitionSpec.builderFor(SCHEMA).identity("part").build();
    private static final Map<Integer, PartitionSpec> SPECS = Map.of(SPEC.specId(), SPEC);

    private static final DataFile DATA =
            DataFiles.builder(SPEC)
                    .withPath("/warehouse/t/data/part=3/a.parquet")
                    .withPartitionPath("part=3")
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(1_024)
                    .withRecordCount(10)
                    .build();

    private static final DeleteFile EQUALITY_DELETES =
            FileMetadata.deleteFileBuilder(SPEC)
                    .ofEqualityDeletes(1, 2)
                    .withPath("/warehouse/t/data/part=3/d.parquet")
                    .withPartitionPath("part=3")
                    .withFormat(FileFormat.PARQUET)
                    .withFileSizeInBytes(512)
                    .withRecordCount(2)
                    .build();

    @Test
    void dataAndDeleteFilesAndReferencesRoundTrip() throws Exception {
        IcebergDataFiles.Written written =
                new IcebergDataFiles.Written(
                        List.of(DATA), List.of(EQUALITY_DELETES), List.of(DATA.location()));

        IcebergDataFiles.Written read =
                IcebergDataFiles.decodeAll(IcebergDataFiles.encode(written, SPECS), SPECS);

        assertThat(read.dataFiles())
                .extracting(DataFile::location)
                .containsExactly(DATA.location());
        assertThat(read.dataFiles().get(0).recordCount()).isEqualTo(10);
        assertThat(read.dataFiles().get(0).partition().get(0, Integer.class)).isEqualTo(3);
        DeleteFile deletes = read.deleteFiles().get(0);
        assertThat(deletes.content()).isEqualTo(FileContent.EQUALITY_DELETES);
        assertThat(deletes.equalityFieldIds()).containsExactly(1, 2);
        assertThat(deletes.location()).isEqualTo(EQUALITY_DELETES.location());
        assertThat(read.referenced()).containsExactly(DATA.location());
    }

    /** The layout version 1 wrote before delete files existed: count, then each file's JSON. */
    @Test
    void version1PayloadsOfDataFilesStillRead() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(512);
        out.writeInt(IcebergDataFiles.VERSION_1);
        out.writeInt(1);
        byte[] json = ContentFileParser.toJson(DATA, SPEC).getBytes(StandardCharsets.UTF_8);
        out.writeInt(json.length);
        out.write(json);
        byte[] version1 = out.getCopyOfBuffer();

        IcebergDataFiles.Written read = IcebergDataFiles.decodeAll(version1, SPECS);

        assertThat(read.dataFiles())
                .extracting(DataFile::location)
                .containsExactly(DATA.location());
        assertThat(read.deleteFiles()).isEmpty();
        assertThat(IcebergDataFiles.decode(version1, SPECS)).hasSize(1);
    }

    /** An overwrite commits data files only; it must not silently drop deletes. */
    @Test
    void decodingOnlyDataFilesFailsOnDeleteFiles() throws Exception {
        byte[] payload =
                IcebergDataFiles.encode(
                        new IcebergDataFiles.Written(
                                List.of(DATA), List.of(EQUALITY_DELETES), List.of()),
                        SPECS);

        assertThatThrownBy(() -> IcebergDataFiles.decode(payload, SPECS))
                .hasMessageContaining("1 delete files");
    }

    @Test
    void anUnknownVersionIsRejected() throws Exception {
        DataOutputSerializer out = new DataOutputSerializer(8);
        out.writeInt(99);

        assertThatThrownBy(() -> IcebergDataFiles.decodeAll(out.getCopyOfBuffer(), SPECS))
                .hasMessageContaining("99");
    }
}
