package org.flinkconnectors.base.catalog;

import org.flinkconnectors.base.testutils.SecretLeakAssertions;

import org.apache.flink.configuration.Configuration;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.factories.CatalogFactory;
import org.apache.flink.table.factories.FactoryUtil;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SecretSafeCatalogFactoriesTest {

    private static final String SECRET = "SECRET-VALUE-2";

    @Test
    void failureWithASecretFlinkWouldShowFailsAtOpen() {
        Catalog catalog =
                SecretSafeCatalogFactories.createCatalog(
                        context(Map.of("header.Authorization", SECRET, "catalog-type", "x")),
                        () -> {
                            throw new ValidationException("'catalog-type' is 'x', not [a, b]");
                        });

        assertThat(catalog).isInstanceOf(DeferredCatalogFailure.class);
        SecretLeakAssertions.assertFailsWithoutSecrets(
                catalog::open,
                List.of(
                        "Unable to create catalog 'c'",
                        "'header.Authorization'='******'",
                        "'catalog-type' is 'x', not [a, b]"),
                SECRET);
    }

    @Test
    void failureWithoutSuchASecretIsThrownWithSecretsMasked() {
        assertThatThrownBy(
                        () ->
                                SecretSafeCatalogFactories.createCatalog(
                                        context(Map.of("password", SECRET)),
                                        () -> {
                                            throw new CatalogException("echo " + SECRET);
                                        }))
                .isInstanceOf(ValidationException.class)
                .hasMessage("echo ******");
    }

    private static CatalogFactory.Context context(Map<String, String> options) {
        return new FactoryUtil.DefaultCatalogContext(
                "c",
                options,
                new Configuration(),
                SecretSafeCatalogFactoriesTest.class.getClassLoader());
    }
}
