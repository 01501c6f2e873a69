/**
 * The exactly-once Sink V2 lake sink over the table-format SPI of {@code
 * org.flinkconnectors.lake.core}: parallel writers, one aggregating operator and one committer.
 */
package org.flinkconnectors.lake.sink;
