/** Flink column vectors the connectors share: one constant vector for every scalar type. */
package org.flinkconnectors.base.table.vector;
