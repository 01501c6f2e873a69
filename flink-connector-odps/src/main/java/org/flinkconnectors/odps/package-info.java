/** Apache Flink connector for Alibaba MaxCompute (ODPS): source, sink, lookup and catalog. */
package org.flinkconnectors.odps;
