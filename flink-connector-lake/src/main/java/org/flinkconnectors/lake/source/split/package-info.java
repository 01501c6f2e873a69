/** The reader-side progress of a lake split; the split type itself is part of the core SPI. */
package org.flinkconnectors.lake.source.split;
