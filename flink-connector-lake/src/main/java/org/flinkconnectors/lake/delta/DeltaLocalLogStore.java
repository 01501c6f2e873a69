package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.storage.HadoopFileSystemLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RawLocalFileSystem;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Iterator;
import java.util.UUID;

/**
 * The Delta log store for local paths ({@code file:}) whose put-if-absent is atomic, also between
 * JVMs on one host. A file is written in full to a hidden temporary file in the same directory and
 * then published with a hard link ({@code link(2)}), which the OS refuses if the name exists: of
 * two writers of the same version exactly one succeeds, the other gets the {@link
 * FileAlreadyExistsException} Kernel expects and retries on the next version.
 *
 * <p>Kernel's default store for {@code file:} checks that the file is absent and then renames onto
 * it (a rename replaces an existing file), and Hadoop's checksummed local file system renames the
 * {@code .crc} sidecar in a second step: two writers can both "win" a version, one commit is lost
 * and the sidecar may describe the other writer's bytes. Files written here get no sidecar (Hadoop
 * reads a file without one unverified), and a stale sidecar another store left is removed before
 * the file is published.
 *
 * <p>Reads and listings are Hadoop's. Kernel picks this store through {@link #CONF_KEY}; {@link
 * DeltaEngines} sets it unless the configuration already names a store.
 */
@Internal
public final class DeltaLocalLogStore extends HadoopFileSystemLogStore {

    private static final Logger LOG = LoggerFactory.getLogger(DeltaLocalLogStore.class);

    /** The Hadoop key through which Kernel's default engine picks the store of {@code file:}. */
    public static final String CONF_KEY = "io.delta.kernel.logStore.file.impl";

    /** Kernel instantiates the store by class name with this constructor. */
    public DeltaLocalLogStore(Configuration initHadoopConf) {
        super(initHadoopConf);
    }

    @Override
    public void write(
            Path path, Iterator<String> actions, Boolean overwrite, Configuration hadoopConf)
            throws IOException {
        java.nio.file.Path target = localPath(path, hadoopConf);
        java.nio.file.Path directory = target.getParent();
        Files.createDirectories(directory);
        String name = target.getFileName().toString();
        // Hidden, so that Kernel's listing (names from a version on) never returns it.
        java.nio.file.Path temporary =
                directory.resolve("." + name + "." + UUID.randomUUID() + ".tmp");
        try {
            writeDurably(temporary, actions);
            if (overwrite || Files.notExists(target)) {
                // A sidecar another store left would describe other bytes than ours.
                Files.deleteIfExists(directory.resolve("." + name + ".crc"));
            }
            if (overwrite) {
                Files.move(
                        temporary,
                        target,
                        StandardCopyOption.ATOMIC_MOVE,
                        StandardCopyOption.REPLACE_EXISTING);
            } else {
                createIfAbsent(path, temporary, target);
            }
        } finally {
            deleteTemporary(temporary);
        }
    }

    /** A local file system shows a file while it is being written. */
    @Override
    public Boolean isPartialWriteVisible(Path path, Configuration hadoopConf) {
        return true;
    }

    /**
     * Links {@code target} to the complete {@code temporary}. {@code Files.move} without {@code
     * REPLACE_EXISTING} would not do: the JDK checks that the target is absent and then renames,
     * the same race as Kernel's default store.
     */
    private static void createIfAbsent(
            Path path, java.nio.file.Path temporary, java.nio.file.Path target) throws IOException {
        try {
            Files.createLink(target, temporary);
        } catch (FileAlreadyExistsException e) {
            // Over NFS a retried LINK whose first reply was lost reports EEXIST although it
            // succeeded; the target is then our own file.
            if (!Files.isSameFile(target, temporary)) {
                throw new FileAlreadyExistsException(path.toString());
            }
        } catch (IOException | UnsupportedOperationException e) {
            throw new IOException(
                    "Could not publish the Delta log file "
                            + path
                            + " with a hard link. The connector's log store needs hard links"
                            + " (link(2)) so that two writers cannot both commit one version;"
                            + " on a file system without them, set the Hadoop property '"
                            + CONF_KEY
                            + "' to another LogStore class (Kernel's default,"
                            + " io.delta.storage.HDFSLogStore, is not safe with concurrent"
                            + " writers).",
                    e);
        }
    }

    /** A temporary file left behind is harmless (hidden); failing to remove it fails nothing. */
    private static void deleteTemporary(java.nio.file.Path temporary) {
        try {
            Files.deleteIfExists(temporary);
        } catch (IOException e) {
            LOG.warn("Could not delete the temporary Delta log file {}.", temporary, e);
        }
    }

    /** Writes one action per line and forces the bytes to disk before the file is published. */
    private static void writeDurably(java.nio.file.Path file, Iterator<String> actions)
            throws IOException {
        try (FileChannel channel =
                FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
            OutputStream out = new BufferedOutputStream(Channels.newOutputStream(channel));
            while (actions.hasNext()) {
                out.write((actions.next() + "\n").getBytes(StandardCharsets.UTF_8));
            }
            out.flush();
            channel.force(true);
        }
    }

    private static java.nio.file.Path localPath(Path path, Configuration hadoopConf)
            throws IOException {
        FileSystem fs = path.getFileSystem(hadoopConf);
        if (fs instanceof LocalFileSystem local) {
            return local.pathToFile(path).toPath();
        }
        if (fs instanceof RawLocalFileSystem raw) {
            return raw.pathToFile(path).toPath();
        }
        throw new IOException(
                "DeltaLocalLogStore only writes to the local file system, not to "
                        + path
                        + " ("
                        + fs.getClass().getName()
                        + "); configure the Hadoop property 'io.delta.kernel.logStore."
                        + path.toUri().getScheme()
                        + ".impl' with a LogStore for that file system.");
    }
}
