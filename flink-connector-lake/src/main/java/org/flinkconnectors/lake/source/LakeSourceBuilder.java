package org.flinkconnectors.lake.source;

import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Objects;
import java.util.OptionalLong;

/**
 * Builds a {@link LakeSource}; see there for an example. {@link #build()} opens the table once to
 * check the version and columns and to fix the produced row type (for time travel the schema of the
 * selected version), so a wrong table, column or version fails here, on the client, with a message
 * naming it rather than later in the job.
 */
@PublicEvolving
public final class LakeSourceBuilder<T> {

    private LakeTableLoader tableLoader;
    private LakeScanSpec spec = LakeScanSpec.latest();
    private final LakeRowConverter<T> converter;

    LakeSourceBuilder(LakeRowConverter<T> converter) {
        this.converter = converter;
    }

    /** The table to read, e.g. {@code IcebergTableLoader.hadoop(warehouse, "db", "t")}. */
    public LakeSourceBuilder<T> table(LakeTableLoader tableLoader) {
        this.tableLoader = Objects.requireNonNull(tableLoader, "tableLoader");
        return this;
    }

    /** What to read; the latest version's columns if not set. */
    public LakeSourceBuilder<T> scan(LakeScanSpec spec) {
        this.spec = Objects.requireNonNull(spec, "spec");
        return this;
    }

    /** Emits the elements the converter makes of each row instead of the rows. */
    public <N> LakeSourceBuilder<N> converter(LakeRowConverter<N> converter) {
        LakeSourceBuilder<N> typed = new LakeSourceBuilder<>(Objects.requireNonNull(converter));
        typed.tableLoader = tableLoader;
        typed.spec = spec;
        return typed;
    }

    public LakeSource<T> build() {
        if (tableLoader == null) {
            throw new IllegalStateException("No table set: call table(...) before build().");
        }
        try (LakeTable table = tableLoader.load()) {
            OptionalLong version = table.resolveVersion(spec.version());
            return new LakeSource<>(
                    tableLoader,
                    spec,
                    table.producedType(version, spec),
                    table.createReaderFactory(version, spec),
                    converter);
        } catch (IOException e) {
            throw new UncheckedIOException("Could not open " + tableLoader.describe(), e);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "Cannot read " + tableLoader.describe() + ": " + e.getMessage(), e);
        }
    }
}
