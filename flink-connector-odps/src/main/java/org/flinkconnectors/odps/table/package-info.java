/** The {@code odps} SQL connector: options, table factory, dynamic table source and sink. */
package org.flinkconnectors.odps.table;
