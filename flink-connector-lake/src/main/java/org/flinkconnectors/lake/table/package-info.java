/** The {@code lake} SQL connector: options, table factory, dynamic table source and sink. */
package org.flinkconnectors.lake.table;
