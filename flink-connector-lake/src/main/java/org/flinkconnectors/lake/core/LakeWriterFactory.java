package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

import java.io.IOException;
import java.io.Serializable;

/**
 * Creates the writers of a sink on the task managers. Created on the client by {@link
 * LakeTable#createWriterFactory} with everything the format needs (schema, partition spec, file IO,
 * file format and size), so writers do not contact the catalog.
 */
@PublicEvolving
public interface LakeWriterFactory extends Serializable {

    /**
     * A writer for one subtask; {@code attemptNumber} keeps the file names of a restarted attempt
     * apart from those of the failed one.
     */
    LakeDataWriter create(int subtaskId, int numberOfSubtasks, int attemptNumber)
            throws IOException;
}
