/** Plans a table version into splits and hands them to readers on request. */
package org.flinkconnectors.lake.source.enumerator;
