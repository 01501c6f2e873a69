package org.flinkconnectors.lake.sink;

import org.flinkconnectors.base.serialization.VersionedSerialization;
import org.flinkconnectors.lake.core.LakeCommitId;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.core.memory.DataOutputSerializer;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Round trips of the sink's write result and committable, and unknown versions. */
class LakeSinkSerializersTest {

    private static final LakeWriteResult FIRST =
            new LakeWriteResult(2, 1_000, 4_096, "files-a".getBytes(StandardCharsets.UTF_8));
    private static final LakeWriteResult SECOND = new LakeWriteResult(0, 0, new byte[0]);

    @Test
    void writeResultRoundTrips() throws IOException {
        LakeWriteResultSerializer serializer = LakeWriteResultSerializer.INSTANCE;

        LakeWriteResult read =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(FIRST));

        assertThat(read).isEqualTo(FIRST);
        assertThat(read.files()).asString(StandardCharsets.UTF_8).isEqualTo("files-a");
    }

    /** Version 1 write results had no byte count; they read back with 0 bytes. */
    @Test
    void aVersion1WriteResultReadsWithZeroBytes() throws IOException {
        DataOutputSerializer v1 = new DataOutputSerializer(32);
        v1.writeInt(2);
        v1.writeLong(1_000);
        VersionedSerialization.writeBytes("files-a".getBytes(StandardCharsets.UTF_8), v1);

        LakeWriteResult read =
                LakeWriteResultSerializer.INSTANCE.deserialize(
                        LakeWriteResultSerializer.VERSION_1, v1.getCopyOfBuffer());

        assertThat(read)
                .isEqualTo(new LakeWriteResult(2, 1_000, FIRST.files()))
                .extracting(LakeWriteResult::byteCount)
                .isEqualTo(0L);
    }

    @Test
    void committableRoundTripsWithItsCommitIdAndEveryWriteResult() throws IOException {
        LakeCommittableSerializer serializer = LakeCommittableSerializer.INSTANCE;
        LakeCommittable committable =
                new LakeCommittable(
                        new LakeCommitId("write-1", "job-1", "operator-7", 42),
                        List.of(FIRST, SECOND));

        LakeCommittable read =
                serializer.deserialize(serializer.getVersion(), serializer.serialize(committable));

        assertThat(read.commitId())
                .isEqualTo(new LakeCommitId("write-1", "job-1", "operator-7", 42));
        assertThat(read.writeResults()).containsExactly(FIRST, SECOND);
    }

    /** Version 1 committables were keyed by the job id, which stays their write id. */
    @Test
    void aVersion1CommittableKeepsItsJobIdAsWriteId() throws IOException {
        DataOutputSerializer v1 = new DataOutputSerializer(64);
        v1.writeUTF("job-1");
        v1.writeUTF("operator-7");
        v1.writeLong(42);
        VersionedSerialization.writeVersionedList(
                LakeWriteResultSerializer.INSTANCE, List.of(FIRST), v1);

        LakeCommittable read =
                LakeCommittableSerializer.INSTANCE.deserialize(
                        LakeCommittableSerializer.VERSION_1, v1.getCopyOfBuffer());

        assertThat(read.commitId()).isEqualTo(new LakeCommitId("job-1", "job-1", "operator-7", 42));
        assertThat(read.commitId().appId()).isEqualTo("job-1-operator-7");
        assertThat(read.writeResults()).containsExactly(FIRST);
    }

    @Test
    void unknownVersionsFailNamingTheVersion() {
        assertThatThrownBy(() -> LakeCommittableSerializer.INSTANCE.deserialize(3, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 3 of LakeCommittable");
        assertThatThrownBy(() -> LakeWriteResultSerializer.INSTANCE.deserialize(9, new byte[0]))
                .isInstanceOf(IOException.class)
                .hasMessageContaining("version 9 of LakeWriteResult");
    }
}
