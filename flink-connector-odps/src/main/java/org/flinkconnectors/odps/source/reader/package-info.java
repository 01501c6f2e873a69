/**
 * The MaxCompute source's reader: tunnel downloads of split row ranges, deserialization in the
 * fetcher thread, emission and split progress in the task thread.
 */
package org.flinkconnectors.odps.source.reader;
