/** The MaxCompute source's split: a row range of a partition snapshot, its state and serializer. */
package org.flinkconnectors.odps.source.split;
