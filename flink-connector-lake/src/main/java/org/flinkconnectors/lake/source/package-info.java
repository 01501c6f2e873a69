/** The FLIP-27 lake source over the table-format SPI of {@code org.flinkconnectors.lake.core}. */
package org.flinkconnectors.lake.source;
