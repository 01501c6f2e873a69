/**
 * The MaxCompute source's enumerator: partition discovery, split planning over download sessions,
 * split assignment and its checkpointed state.
 */
package org.flinkconnectors.odps.source.enumerator;
