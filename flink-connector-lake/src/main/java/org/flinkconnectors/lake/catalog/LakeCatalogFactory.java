package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.base.catalog.SecretSafeCatalogFactories;
import org.flinkconnectors.lake.core.LakeFormats;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.HashSet;
import java.util.Set;

/**
 * Factory of {@code CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = ...)} catalogs. Iceberg
 * tables come from the catalog {@code 'catalog-type'} names ('hadoop' on the warehouse by default,
 * or 'jdbc' / 'rest' at {@code 'uri'}); Delta tables are directories of the warehouse.
 */
@Internal
public class LakeCatalogFactory implements CatalogFactory {

    @Override
    public String factoryIdentifier() {
        return LakeCatalogOptions.IDENTIFIER;
    }

    @Override
    public Set<ConfigOption<?>> requiredOptions() {
        return Set.of(LakeCatalogOptions.WAREHOUSE);
    }

    @Override
    public Set<ConfigOption<?>> optionalOptions() {
        Set<ConfigOption<?>> options = new HashSet<>();
        LakeFormats.all().forEach(format -> options.addAll(format.catalogOptions()));
        options.add(LakeCatalogOptions.DEFAULT_DATABASE);
        return options;
    }

    /**
     * {@inheritDoc}
     *
     * <p>Invalid options next to a secret Flink would print (e.g. {@code credential}) fail when
     * Flink opens the catalog, see {@link SecretSafeCatalogFactories}.
     */
    @Override
    public Catalog createCatalog(Context context) {
        return SecretSafeCatalogFactories.createCatalog(
                context,
                () -> {
                    FactoryUtil.CatalogFactoryHelper helper =
                            FactoryUtil.createCatalogFactoryHelper(this, context);
                    helper.validate();
                    return new LakeCatalog(
                            context.getName(),
                            helper.getOptions().get(LakeCatalogOptions.DEFAULT_DATABASE),
                            helper.getOptions().get(LakeCatalogOptions.WAREHOUSE),
                            helper.getOptions());
                });
    }
}
