package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.Serializable;

/**
 * Where a table lives and how to open it: an Iceberg catalog and identifier, or a Delta table path.
 * It is serializable and travels with the source, so the enumerator on the JobManager opens the
 * table itself instead of receiving a live, non-serializable handle.
 */
@PublicEvolving
public interface LakeTableLoader extends Serializable {

    /** Opens the table; the caller closes it. */
    LakeTable load() throws IOException;

    /** The table's name for messages, e.g. {@code iceberg table db.orders at /warehouse}. */
    String describe();
}
