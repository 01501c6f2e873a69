/** The {@code lake} SQL connector: options, table factory and dynamic table source. */
package org.flinkconnectors.lake.table;
