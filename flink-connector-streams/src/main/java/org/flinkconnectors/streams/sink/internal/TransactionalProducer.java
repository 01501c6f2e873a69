package org.flinkconnectors.streams.sink.internal;

import org.apache.flink.annotation.Internal;

import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.utils.ProducerIdAndEpoch;

import javax.annotation.Nullable;

import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.Future;

/**
 * A byte-array {@link KafkaProducer} bound to one transactional id that knows whether its current
 * transaction holds records, and that can resume a transaction another producer instance opened.
 *
 * <p>Resuming is what makes exactly-once survive a failover: the committable of a checkpoint
 * carries the producer id and epoch; after a restart a new producer adopts them and commits. Kafka
 * has no public API for that before KIP-939, so {@link #resumeTransaction} sets the transaction
 * manager's state through reflection. The connector bundles (and relocates) the exact kafka-clients
 * version it was tested with, so the private fields it touches cannot drift.
 */
@Internal
public class TransactionalProducer extends KafkaProducer<byte[], byte[]> {

    private final String transactionalId;
    private volatile boolean inTransaction;
    private volatile boolean hasRecords;
    private volatile boolean closed;
    // Plain fields: only the writer's thread sends, begins and reads them.
    private long recordsInTransaction;
    private long bytesInTransaction;

    public TransactionalProducer(Properties properties, String transactionalId) {
        super(withTransactionalId(properties, transactionalId));
        this.transactionalId = transactionalId;
    }

    private static Properties withTransactionalId(Properties properties, String transactionalId) {
        Properties copy = new Properties();
        copy.putAll(properties);
        copy.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG, transactionalId);
        copy.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        copy.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        return copy;
    }

    public String transactionalId() {
        return transactionalId;
    }

    @Override
    public Future<RecordMetadata> send(ProducerRecord<byte[], byte[]> record, Callback callback) {
        if (!hasRecords) {
            // Read before write: a volatile store on every record would cost a fence each.
            hasRecords = true;
        }
        recordsInTransaction++;
        bytesInTransaction += size(record.key()) + size(record.value());
        return super.send(record, callback);
    }

    @Override
    public void beginTransaction() {
        super.beginTransaction();
        inTransaction = true;
        hasRecords = false;
        recordsInTransaction = 0;
        bytesInTransaction = 0;
    }

    @Override
    public void commitTransaction() {
        super.commitTransaction();
        inTransaction = false;
        hasRecords = false;
    }

    @Override
    public void abortTransaction() {
        inTransaction = false;
        hasRecords = false;
        super.abortTransaction();
    }

    public boolean isInTransaction() {
        return inTransaction;
    }

    public boolean hasRecordsInTransaction() {
        return inTransaction && hasRecords;
    }

    /** The records sent in the current transaction (by this instance). */
    public long recordsInTransaction() {
        return recordsInTransaction;
    }

    /** The key and value bytes of the records sent in the current transaction. */
    public long bytesInTransaction() {
        return bytesInTransaction;
    }

    private static int size(@Nullable byte[] bytes) {
        return bytes == null ? 0 : bytes.length;
    }

    public boolean isClosed() {
        return closed;
    }

    /** The producer id and epoch the broker assigned to this transactional id. */
    public ProducerIdAndEpoch producerIdAndEpoch() {
        Object transactionManager = field(KafkaProducer.class, this, "transactionManager");
        return (ProducerIdAndEpoch)
                field(transactionManager.getClass(), transactionManager, "producerIdAndEpoch");
    }

    /**
     * Adopts the open transaction of {@code producerId}/{@code epoch} instead of initializing a new
     * one, so {@link #commitTransaction()} ends that transaction. Must be called on a fresh
     * producer, before {@link #initTransactions()}.
     */
    public void resumeTransaction(long producerId, short epoch) {
        Object transactionManager = field(KafkaProducer.class, this, "transactionManager");
        synchronized (transactionManager) {
            Class<?> managerClass = transactionManager.getClass();
            transition(transactionManager, "INITIALIZING");
            invoke(field(managerClass, transactionManager, "txnPartitionMap"), "reset");
            setField(
                    managerClass,
                    transactionManager,
                    "producerIdAndEpoch",
                    new ProducerIdAndEpoch(producerId, epoch));
            transition(transactionManager, "READY");
            transition(transactionManager, "IN_TRANSACTION");
            // Without this flag commitTransaction() would skip the EndTxn request: the flag is
            // normally set by the first send, which happened in another producer instance.
            setField(managerClass, transactionManager, "transactionStarted", true);
        }
        inTransaction = true;
        hasRecords = true;
    }

    @Override
    public void close(Duration timeout) {
        if (!closed) {
            closed = true;
            super.close(timeout);
        }
    }

    @Override
    public void close() {
        close(Duration.ZERO);
    }

    @Override
    public String toString() {
        return "TransactionalProducer{transactionalId='"
                + transactionalId
                + "', inTransaction="
                + inTransaction
                + ", closed="
                + closed
                + '}';
    }

    @SuppressWarnings({"unchecked", "rawtypes"})
    private static void transition(Object transactionManager, String state) {
        try {
            Class<Enum> stateClass =
                    (Class<Enum>)
                            Class.forName(
                                    transactionManager.getClass().getName() + "$State",
                                    true,
                                    transactionManager.getClass().getClassLoader());
            Method transitionTo =
                    transactionManager.getClass().getDeclaredMethod("transitionTo", stateClass);
            transitionTo.setAccessible(true);
            transitionTo.invoke(transactionManager, Enum.valueOf(stateClass, state));
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static void invoke(Object target, String method) {
        try {
            Method m = target.getClass().getDeclaredMethod(method);
            m.setAccessible(true);
            m.invoke(target);
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static Object field(Class<?> owner, Object target, String name) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            return f.get(target);
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static void setField(Class<?> owner, Object target, String name, Object value) {
        try {
            Field f = owner.getDeclaredField(name);
            f.setAccessible(true);
            f.set(target, value);
        } catch (ReflectiveOperationException e) {
            throw incompatible(e);
        }
    }

    private static IllegalStateException incompatible(Exception cause) {
        return new IllegalStateException(
                "The bundled kafka-clients does not match the version the streams connector was"
                        + " built for; cannot resume Kafka transactions.",
                cause);
    }
}
