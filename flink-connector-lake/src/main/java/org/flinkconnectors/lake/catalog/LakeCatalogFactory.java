package org.flinkconnectors.lake.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

import java.util.Set;

/** Factory of {@code CREATE CATALOG c WITH ('type' = 'lake', 'warehouse' = ...)} catalogs. */
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
        return Set.of(LakeCatalogOptions.DEFAULT_DATABASE);
    }

    @Override
    public Catalog createCatalog(Context context) {
        FactoryUtil.CatalogFactoryHelper helper =
                FactoryUtil.createCatalogFactoryHelper(this, context);
        helper.validate();
        return new LakeCatalog(
                context.getName(),
                helper.getOptions().get(LakeCatalogOptions.DEFAULT_DATABASE),
                helper.getOptions().get(LakeCatalogOptions.WAREHOUSE));
    }
}
