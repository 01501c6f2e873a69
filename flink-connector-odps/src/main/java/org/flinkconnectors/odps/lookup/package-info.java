/**
 * Lookup joins against MaxCompute tables: the full cache (a reloadable {@code InputFormat} over the
 * selected partitions), the lookup function behind the partial cache or no cache, and the {@code
 * lookup.*} settings.
 */
package org.flinkconnectors.odps.lookup;
