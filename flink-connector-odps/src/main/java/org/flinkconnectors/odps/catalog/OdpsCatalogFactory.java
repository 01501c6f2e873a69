package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.base.catalog.SecretSafeCatalogFactories;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;

import java.util.Set;

/**
 * Factory of {@code CREATE CATALOG c WITH ('type' = 'odps', ...)} catalogs.
 *
 * <p>The options are checked when Flink opens the catalog, right after creating it: an exception
 * thrown here would make Flink print every catalog option, and Flink does not treat {@code
 * access-key} as a secret. {@link OdpsCatalog#open()} fails with a {@link
 * org.apache.flink.table.api.ValidationException} that names the option instead, the values of
 * secret options masked (creation itself runs through {@link SecretSafeCatalogFactories}, as the
 * other connectors' catalogs do).
 */
@Internal
public class OdpsCatalogFactory implements CatalogFactory {

    @Override
    public String factoryIdentifier() {
        return OdpsCatalogOptions.IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return OdpsCatalogOptions.requiredOptions();
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        return OdpsCatalogOptions.optionalOptions();
    }

    @Override
    public Catalog createCatalog(Context context) {
        return SecretSafeCatalogFactories.createCatalog(
                context, () -> new OdpsCatalog(context.getName(), context.getOptions()));
    }
}
