package org.flinkconnectors.streams.sink;

import org.flinkconnectors.base.options.SecretMasking;
import org.flinkconnectors.streams.util.KafkaClassNames;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.connector.base.DeliveryGuarantee;
import org.apache.flink.util.Preconditions;

import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import java.util.Properties;

/**
 * Builds a {@link StreamsSink}.
 *
 * <pre>{@code
 * StreamsSink<Order> sink = StreamsSink.<Order>builder()
 *     .setBootstrapServers("broker:9092")
 *     .setRecordSerializer(serializer)
 *     .setDeliveryGuarantee(DeliveryGuarantee.EXACTLY_ONCE)
 *     .setTransactionalIdPrefix("orders-job")
 *     .setProperty("transaction.timeout.ms", "900000")
 *     .build();
 * }</pre>
 *
 * <p>Exactly-once needs a transactional id prefix that no other job on the same cluster uses. Its
 * transactions stay open for a checkpoint interval and must outlive a restart, so {@code
 * transaction.timeout.ms} defaults to 15 minutes (the broker's default maximum) instead of the
 * producer's one minute.
 */
@PublicEvolving
public class StreamsSinkBuilder<IN> {

    static final String DEFAULT_TRANSACTION_TIMEOUT_MS = "900000";

    private final Properties properties = new Properties();
    private DeliveryGuarantee deliveryGuarantee = DeliveryGuarantee.AT_LEAST_ONCE;
    private String transactionalIdPrefix;
    private StreamsRecordSerializationSchema<IN> recordSerializer;
    private OnLostTransaction onLostTransaction = OnLostTransaction.FAIL;

    StreamsSinkBuilder() {}

    public StreamsSinkBuilder<IN> setBootstrapServers(String bootstrapServers) {
        return setProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrapServers);
    }

    public StreamsSinkBuilder<IN> setDeliveryGuarantee(DeliveryGuarantee deliveryGuarantee) {
        this.deliveryGuarantee = Preconditions.checkNotNull(deliveryGuarantee);
        return this;
    }

    public StreamsSinkBuilder<IN> setTransactionalIdPrefix(String transactionalIdPrefix) {
        Preconditions.checkArgument(
                transactionalIdPrefix != null && !transactionalIdPrefix.isBlank(),
                "The transactional id prefix must not be empty.");
        this.transactionalIdPrefix = transactionalIdPrefix;
        return this;
    }

    /**
     * What to do when an exactly-once transaction is gone before its commit (default {@link
     * OnLostTransaction#FAIL}: fail the job).
     */
    public StreamsSinkBuilder<IN> setOnLostTransaction(OnLostTransaction onLostTransaction) {
        this.onLostTransaction = Preconditions.checkNotNull(onLostTransaction);
        return this;
    }

    public StreamsSinkBuilder<IN> setRecordSerializer(
            StreamsRecordSerializationSchema<IN> recordSerializer) {
        this.recordSerializer = Preconditions.checkNotNull(recordSerializer);
        return this;
    }

    /** Producer properties; the sink's own settings (serializers, transactional id) win. */
    public StreamsSinkBuilder<IN> setKafkaProducerConfig(Properties producerProperties) {
        producerProperties.forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return this;
    }

    public StreamsSinkBuilder<IN> setProperty(String key, String value) {
        properties.setProperty(key, value);
        return this;
    }

    public StreamsSink<IN> build() {
        Preconditions.checkState(
                properties.getProperty(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG) != null,
                "The bootstrap servers must be set with setBootstrapServers().");
        Preconditions.checkState(
                recordSerializer != null,
                "A record serializer must be set with setRecordSerializer().");
        Properties producerProperties = new Properties();
        producerProperties.putAll(properties);
        producerProperties.put(
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.put(
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        producerProperties.remove(ProducerConfig.TRANSACTIONAL_ID_CONFIG);
        if (deliveryGuarantee == DeliveryGuarantee.EXACTLY_ONCE) {
            Preconditions.checkState(
                    transactionalIdPrefix != null,
                    "Exactly-once delivery needs a transactional id prefix that is unique per job:"
                            + " call setTransactionalIdPrefix().");
            producerProperties.putIfAbsent(
                    ProducerConfig.TRANSACTION_TIMEOUT_CONFIG, DEFAULT_TRANSACTION_TIMEOUT_MS);
        } else {
            // The prefix only names transactions; keep it for toString and state compatibility.
            transactionalIdPrefix = transactionalIdPrefix == null ? "" : transactionalIdPrefix;
        }
        if (deliveryGuarantee != DeliveryGuarantee.NONE) {
            producerProperties.putIfAbsent(ProducerConfig.ACKS_CONFIG, "all");
        }
        return new StreamsSink<>(
                deliveryGuarantee,
                KafkaClassNames.relocate(producerProperties),
                transactionalIdPrefix,
                recordSerializer,
                onLostTransaction);
    }

    @Override
    public String toString() {
        return "StreamsSinkBuilder{deliveryGuarantee="
                + deliveryGuarantee
                + ", properties="
                + SecretMasking.mask(properties)
                + '}';
    }
}
