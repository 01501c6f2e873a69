/** The Apache Iceberg binding of the lake SPI, on Iceberg's Flink runtime. */
package org.flinkconnectors.lake.iceberg;
