package org.flinkconnectors.base.catalog;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.base.options.SecretSafeErrors;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.catalog.Catalog;
import org.apache.flink.table.factories.CatalogFactory;

import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a catalog factory's creation of a catalog so that its errors show no secret.
 *
 * <p>Flink's {@code FactoryUtil.createCatalog} wraps an exception of {@code createCatalog} in
 * "Unable to create catalog ... Catalog options are: ...", masking only the keys Flink deems
 * sensitive, and {@code CREATE CATALOG} wraps a {@code CatalogException} of {@code open()} in a
 * message that prints every option unmasked. When the options hold a secret Flink would show, a
 * failed creation returns a stand-in catalog whose {@code open()} throws the error as a {@link
 * ValidationException} that names the option; a catalog's own {@code open()} should throw through
 * {@link SecretSafeErrors#asValidationException} for the same reason.
 */
@Internal
public final class SecretSafeCatalogFactories {

    private SecretSafeCatalogFactories() {}

    /** The catalog {@code creation} makes, or a stand-in whose {@code open()} fails. */
    public static Catalog createCatalog(
            CatalogFactory.Context context, Supplier<Catalog> creation) {
        Map<String, String> options = context.getOptions();
        try {
            return creation.get();
        } catch (RuntimeException e) {
            if (!SecretMasking.hasSecretFlinkWouldShow(options)) {
                throw SecretSafeErrors.withoutSecrets(e, options);
            }
            return new DeferredCatalogFailure(
                    context.getName(),
                    new ValidationException(
                            String.format(
                                    "Unable to create catalog '%s'.%n%nCatalog options are:%n%s",
                                    context.getName(), SecretMasking.describe(options)),
                            SecretSafeErrors.withoutSecrets(e, options)));
        }
    }
}
