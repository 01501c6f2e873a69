package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeHadoopConf;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.defaults.engine.DefaultEngine;
import io.delta.kernel.engine.Engine;
import org.apache.hadoop.conf.Configuration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.util.Map;

/**
 * Builds every Delta Kernel {@link Engine} the connector uses, so that all of them commit to local
 * tables through {@link DeltaLocalLogStore}. A log store the Hadoop configuration already names
 * (from the given properties or a {@code core-site.xml}) is kept.
 */
@Internal
public final class DeltaEngines {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaEngines.class);

    private DeltaEngines() {}

    /** An engine over a new Hadoop configuration with Hadoop's defaults. */
    public static Engine create() {
        return create(Map.of());
    }

    /** An engine over a new Hadoop configuration with {@code hadoopProperties} set. */
    public static Engine create(Map<String, String> hadoopProperties) {
        return create(LakeHadoopConf.create(hadoopProperties));
    }

    /** An engine over a copy of {@code hadoopConf}; the given configuration is not changed. */
    public static Engine create(Configuration hadoopConf) {
        return DefaultEngine.create(withLocalLogStore(hadoopConf));
    }

    /** A copy of {@code hadoopConf} that names {@link DeltaLocalLogStore} unless it names one. */
    static Configuration withLocalLogStore(Configuration hadoopConf) {
        Configuration conf = new Configuration(hadoopConf);
        if (conf.get(DeltaLocalLogStore.CONF_KEY) != null) {
            return conf;
        }
        // Kernel loads the store by name with its own class loader (Class.forName); where that
        // loader cannot see the connector's classes, Kernel's default store is left in place.
        String name = DeltaLocalLogStore.class.getName();
        try {
            Class.forName(name, false, DefaultEngine.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError e) {
            LOG.warn(
                    "Delta Kernel's class loader cannot load {}; commits to local Delta tables use"
                            + " Kernel's default log store, which is not safe with concurrent"
                            + " writers.",
                    name);
            return conf;
        }
        conf.set(DeltaLocalLogStore.CONF_KEY, name);
        return conf;
    }
}
