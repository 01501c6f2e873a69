/** Reads assigned lake splits through the table format's reader factory. */
package org.flinkconnectors.lake.source.reader;
