/**
 * The FLIP-27 MaxCompute source: {@link org.flinkconnectors.odps.source.OdpsSource}, its builder,
 * the record deserializer and the partition selector.
 */
package org.flinkconnectors.odps.source;
