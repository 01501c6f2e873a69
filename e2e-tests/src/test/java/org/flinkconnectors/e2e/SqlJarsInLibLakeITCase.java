package org.flinkconnectors.e2e;

import org.junit.jupiter.api.BeforeAll;

/**
 * The tests of {@link StandaloneClusterLakeSqlJarITCase} on a cluster that has all three SQL jars
 * in its {@code lib/} instead of an {@code ADD JAR}: the 'lake' connector works there beside the
 * other two.
 */
class SqlJarsInLibLakeITCase extends StandaloneClusterLakeSqlJarITCase {

    /** Hides the superclass's method of the same name, so only this cluster is started. */
    @BeforeAll
    static void startFlink() throws Exception {
        startClusterWithSqlJarsInLib();
    }
}
