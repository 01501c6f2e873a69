package org.flinkconnectors.streams.table;

import org.apache.flink.annotation.Internal;

/**
 * Factory of the {@code upsert-streams} SQL connector, the counterpart of the official {@code
 * upsert-kafka}: the PRIMARY KEY columns form the record key, a DELETE is written as a tombstone,
 * and reading yields an upsert changelog (a tombstone is a DELETE of its key).
 */
@Internal
public class UpsertStreamsDynamicTableFactory extends StreamsDynamicTableFactory {

    public static final String IDENTIFIER = "upsert-streams";

    @Override
    public String factoryIdentifier() {
        return IDENTIFIER;
    }

    @Override
    protected boolean upsert() {
        return true;
    }
}
