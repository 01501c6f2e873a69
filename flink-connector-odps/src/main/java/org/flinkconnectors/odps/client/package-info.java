/**
 * How the connector reaches MaxCompute: connection settings and the SDK clients built from them.
 */
package org.flinkconnectors.odps.client;
