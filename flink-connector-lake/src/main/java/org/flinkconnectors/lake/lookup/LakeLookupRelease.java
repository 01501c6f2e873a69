package org.flinkconnectors.lake.lookup;

import org.flinkconnectors.lake.core.LakeStaticResources;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.common.functions.RuntimeContext;
import org.apache.flink.table.functions.FunctionContext;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.lang.reflect.Field;

/**
 * Has Flink release the lake libraries with the job's class loader when a lookup function runs on a
 * TaskManager, as the source and the sink do. A function context hides the task's runtime context,
 * whose release hook this needs, so it is read from the context's field; without it a lookup job
 * added by {@code ADD JAR} would leave its class loader behind on a session cluster.
 */
@Internal
final class LakeLookupRelease {

    private static final Logger LOG = LoggerFactory.getLogger(LakeLookupRelease.class);

    private LakeLookupRelease() {}

    static void register(FunctionContext context) {
        try {
            Field field = FunctionContext.class.getDeclaredField("context");
            field.setAccessible(true);
            RuntimeContext runtime = (RuntimeContext) field.get(context);
            if (runtime != null) {
                LakeStaticResources.releaseWith(runtime);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            LOG.warn(
                    "Cannot register the release of the lake libraries for this lookup; a session"
                            + " cluster may keep the job's classes: {}",
                    e.toString());
        }
    }
}
