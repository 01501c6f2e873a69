package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.io.Serializable;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

/**
 * What a commit in overwrite mode replaces, as Flink's {@code INSERT OVERWRITE} means it: with a
 * static partition ({@code PARTITION (p = 'a')}) the rows of that partition, even if nothing new is
 * written into it; without one the partitions the job wrote into, and all rows of an unpartitioned
 * table. Meant for bounded jobs, which commit once: every commit replaces what it covers.
 *
 * @param staticPartition partition column to value as SQL gives them; empty for a dynamic overwrite
 */
@PublicEvolving
public record LakeOverwrite(Map<String, String> staticPartition) implements Serializable {

    public LakeOverwrite {
        // A LinkedHashMap, not Map.copyOf: a static partition value may be null.
        staticPartition =
                new LinkedHashMap<>(Objects.requireNonNull(staticPartition, "staticPartition"));
    }

    /** Replaces the partitions written (all rows of an unpartitioned table). */
    public static LakeOverwrite dynamic() {
        return new LakeOverwrite(Map.of());
    }
}
