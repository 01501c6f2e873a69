/**
 * The Delta Lake binding of the lake SPI, on Delta Kernel: tables by path, time travel by version
 * and timestamp, deletion vectors and column mapping applied by Kernel's own read path, and
 * streaming reads of appended files from the log's commits ({@code DeltaHistory}).
 */
package org.flinkconnectors.lake.delta;
