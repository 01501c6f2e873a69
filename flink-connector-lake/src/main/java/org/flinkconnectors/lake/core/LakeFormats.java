package org.flinkconnectors.lake.core;

import org.flinkconnectors.base.options.ConnectorOptionUtils;

import org.apache.flink.annotation.Internal;

import java.util.ArrayList;
import java.util.List;
import java.util.ServiceLoader;

/**
 * The table formats on the connector's class path, in the order of their registrations; the first
 * format that claims a warehouse directory owns it.
 */
@Internal
public final class LakeFormats {

    private static final List<LakeFormat> FORMATS = load();

    private LakeFormats() {}

    public static List<LakeFormat> all() {
        return FORMATS;
    }

    /** The identifiers, for messages and option descriptions. */
    public static List<String> identifiers() {
        return FORMATS.stream().map(LakeFormat::identifier).toList();
    }

    /** The identifiers of the formats that can do {@code capability}. */
    public static List<String> withCapability(LakeCapability capability) {
        return FORMATS.stream()
                .filter(format -> format.capabilities().contains(capability))
                .map(LakeFormat::identifier)
                .toList();
    }

    /** The format of this identifier (case-insensitive), or a message naming the valid ones. */
    public static LakeFormat of(String optionKey, String identifier) {
        for (LakeFormat format : FORMATS) {
            if (format.identifier().equalsIgnoreCase(identifier.trim())) {
                return format;
            }
        }
        throw ConnectorOptionUtils.invalidValue(optionKey, identifier, identifiers());
    }

    private static List<LakeFormat> load() {
        // The connector's own loader: in a job's class loader or the SQL client's, the formats
        // come with the connector jar.
        List<LakeFormat> formats = new ArrayList<>();
        ServiceLoader.load(LakeFormat.class, LakeFormat.class.getClassLoader())
                .forEach(formats::add);
        if (formats.isEmpty()) {
            throw new IllegalStateException(
                    "No lake table format is registered in META-INF/services/"
                            + LakeFormat.class.getName()
                            + "; the connector jar is incomplete.");
        }
        return List.copyOf(formats);
    }
}
