/** Lookup joins against lake tables: an incrementally refreshed full cache, or key-pruned reads. */
package org.flinkconnectors.lake.lookup;
