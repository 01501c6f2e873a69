package org.flinkconnectors.base.table;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.base.options.SecretSafeErrors;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.connector.sink.DynamicTableSink;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.factories.DynamicTableFactory;

import java.util.HashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * Runs a table factory's creation of a source or sink so that its errors show no secret.
 *
 * <p>Flink's {@code FactoryUtil} wraps an exception thrown by {@code createDynamicTableSource} /
 * {@code createDynamicTableSink} in "Unable to create a source for reading table ... Table options
 * are: ...", printing every table option and masking only the keys Flink itself deems sensitive
 * (password, secret, token, ...), not {@code access-key}, {@code credential}, {@code
 * ssl.keystore.key} or {@code header.*}. When a table's options hold such a secret, a failed
 * creation therefore returns a stand-in source or sink that raises the error when the planner first
 * uses it, still while planning the statement: a {@link ValidationException} with Flink's wording,
 * the options masked, and the original error (naming the option and its valid values) as cause.
 * Without such a secret the error is thrown as before. Either way, an error that echoes a secret
 * value has it masked (see {@link SecretSafeErrors}).
 *
 * <p>Usage in a factory: {@code return SecretSafeTableFactories.createSource(context,
 * effectiveOptions, () -> createSourceUnchecked(context));}
 */
@Internal
public final class SecretSafeTableFactories {

    private SecretSafeTableFactories() {}

    /**
     * The source {@code creation} makes, or a stand-in that fails when used.
     *
     * @param effectiveOptions the options the factory uses, including any it adds to the table's
     *     own (e.g. a catalog's credentials), whose secret values are masked in the error too
     */
    public static DynamicTableSource createSource(
            DynamicTableFactory.Context context,
            Map<String, String> effectiveOptions,
            Supplier<DynamicTableSource> creation) {
        try {
            return creation.get();
        } catch (RuntimeException e) {
            return deferred(context, effectiveOptions, e, "a source for reading");
        }
    }

    /** The sink {@code creation} makes, or a stand-in that fails when used. */
    public static DynamicTableSink createSink(
            DynamicTableFactory.Context context,
            Map<String, String> effectiveOptions,
            Supplier<DynamicTableSink> creation) {
        try {
            return creation.get();
        } catch (RuntimeException e) {
            return deferred(context, effectiveOptions, e, "a sink for writing");
        }
    }

    private static DeferredTableFailure deferred(
            DynamicTableFactory.Context context,
            Map<String, String> effectiveOptions,
            RuntimeException error,
            String what) {
        Map<String, String> tableOptions = context.getCatalogTable().getOptions();
        Map<String, String> allOptions = new HashMap<>(effectiveOptions);
        allOptions.putAll(tableOptions);
        RuntimeException safe = SecretSafeErrors.withoutSecrets(error, allOptions);
        if (!SecretMasking.hasSecretFlinkWouldShow(tableOptions)) {
            throw safe;
        }
        String table = context.getObjectIdentifier().asSummaryString();
        return new DeferredTableFailure(
                table,
                new ValidationException(
                        String.format(
                                "Unable to create %s table '%s'.%n%nTable options are:%n%n%s",
                                what, table, SecretMasking.describe(tableOptions)),
                        safe));
    }
}
