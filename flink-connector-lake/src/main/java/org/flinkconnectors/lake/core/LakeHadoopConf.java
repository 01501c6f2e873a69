package org.flinkconnectors.lake.core;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.Map;

/**
 * Hadoop configurations bound to the class loader that loaded the connector. When Hadoop comes from
 * the connector's SQL jar, Flink runs the connector in a user-code class loader while the thread's
 * context class loader may be the cluster's: Hadoop would then look up file systems and codecs
 * there and fail with "No FileSystem for scheme". Hadoop scans the file-system services once per
 * class loader, so the first lookup must happen here, with the connector's loader.
 */
public final class LakeHadoopConf {

    private LakeHadoopConf() {}

    /** A new configuration with the given Hadoop properties set on top of the defaults. */
    public static Configuration create(Map<String, String> properties) {
        return LakeClassLoading.withConnectorClassLoader(
                () -> {
                    Configuration conf = new Configuration();
                    conf.setClassLoader(LakeHadoopConf.class.getClassLoader());
                    properties.forEach(conf::set);
                    try {
                        FileSystem.getFileSystemClass("file", conf);
                    } catch (IOException e) {
                        throw new UncheckedIOException(
                                "Hadoop's local file system is not available", e);
                    }
                    return conf;
                });
    }

    /** A new configuration with Hadoop's defaults. */
    public static Configuration create() {
        return create(Map.of());
    }
}
