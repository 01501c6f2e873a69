package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;

/** A {@link LakeTableLoader} found no table where it points. */
@PublicEvolving
public class LakeTableNotFoundException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    public LakeTableNotFoundException(String message, Throwable cause) {
        super(message, cause);
    }
}
