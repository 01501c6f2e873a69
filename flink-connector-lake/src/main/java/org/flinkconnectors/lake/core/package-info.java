/**
 * The format-neutral core of the lake connector: the SPI a table format implements ({@link
 * org.flinkconnectors.lake.core.LakeFormat} with its options, capabilities and catalog part,
 * registered through {@link java.util.ServiceLoader}; {@link
 * org.flinkconnectors.lake.core.LakeTableLoader}, {@link org.flinkconnectors.lake.core.LakeTable},
 * {@link org.flinkconnectors.lake.core.LakeReaderFactory}), the split type and what a scan asks
 * for.
 */
package org.flinkconnectors.lake.core;
