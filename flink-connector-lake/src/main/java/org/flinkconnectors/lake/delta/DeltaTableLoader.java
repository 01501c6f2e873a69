package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.core.LakeTableLoader;
import org.flinkconnectors.lake.core.LakeTableNotFoundException;

import org.apache.flink.annotation.PublicEvolving;

import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.exceptions.TableNotFoundException;

import java.util.Map;
import java.util.Objects;

/**
 * Loads a Delta table by its path on any Hadoop file system (the local file system included)
 * through Delta Kernel's default engine, as {@link DeltaEngines} builds it.
 *
 * <p>Holds only strings, so it is serializable; the Hadoop configuration is built from the given
 * properties on each load.
 */
@PublicEvolving
public final class DeltaTableLoader implements LakeTableLoader {

    private static final long serialVersionUID = 1L;

    private final String path;
    private final Map<String, String> hadoopProperties;

    private DeltaTableLoader(String path, Map<String, String> hadoopProperties) {
        this.path = Objects.requireNonNull(path, "path");
        this.hadoopProperties = Map.copyOf(hadoopProperties);
    }

    /** The Delta table at {@code path} (a local path or a URI), default Hadoop configuration. */
    public static DeltaTableLoader path(String path) {
        return path(path, Map.of());
    }

    /** The Delta table at {@code path}; {@code hadoopProperties} are set on the configuration. */
    public static DeltaTableLoader path(String path, Map<String, String> hadoopProperties) {
        return new DeltaTableLoader(path, hadoopProperties);
    }

    String path() {
        return path;
    }

    Map<String, String> hadoopProperties() {
        return hadoopProperties;
    }

    @Override
    public LakeTable load() {
        Engine engine = DeltaEngines.create(hadoopProperties);
        try {
            // Loading the latest snapshot checks that a table is there, here rather than later.
            Snapshot latest = TableManager.loadSnapshot(path).build(engine);
            return new DeltaLakeTable(engine, latest, describe(), hadoopProperties);
        } catch (TableNotFoundException e) {
            throw new LakeTableNotFoundException(
                    "there is no Delta table at "
                            + path
                            + " (no _delta_log directory with commits was found there).",
                    e);
        }
    }

    @Override
    public String describe() {
        return "Delta table at " + path;
    }

    @Override
    public String toString() {
        // The Hadoop properties may hold credentials; they are never printed.
        return "DeltaTableLoader{" + describe() + '}';
    }
}
