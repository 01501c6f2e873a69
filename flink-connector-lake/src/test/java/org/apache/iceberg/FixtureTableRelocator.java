package org.apache.iceberg;

import org.apache.iceberg.data.Record;
import org.apache.iceberg.data.parquet.GenericParquetReaders;
import org.apache.iceberg.data.parquet.GenericParquetWriter;
import org.apache.iceberg.deletes.PositionDeleteWriter;
import org.apache.iceberg.encryption.PlaintextEncryptionManager;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DeleteSchemaUtil;
import org.apache.iceberg.io.FileIO;
import org.apache.iceberg.io.InputFile;
import org.apache.iceberg.io.OutputFile;
import org.apache.iceberg.parquet.Parquet;
import org.apache.iceberg.puffin.BlobMetadata;
import org.apache.iceberg.puffin.Puffin;
import org.apache.iceberg.puffin.PuffinReader;
import org.apache.iceberg.util.ContentFileUtil;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Test support: copies an Iceberg table directory that another engine wrote at one absolute
 * location to another directory, rewriting every path Iceberg stored in it, so that a table made
 * once (for example by Spark, see {@code src/test/fixture-generator}) can be read from any
 * checkout.
 *
 * <p>What is rewritten, bottom up, so that every recorded size is the size of the file on disk:
 *
 * <ol>
 *   <li>position delete files (Parquet, the data file paths in them) and deletion vector files
 *       (Puffin, the {@code referenced-data-file} property of each blob), with {@link
 *       RewriteTablePathUtil#rewritePositionDeleteFile}; the blob offsets must not move, which is
 *       checked;
 *   <li>data manifests with {@link RewriteTablePathUtil#rewriteDataManifest}; delete manifests
 *       here, with the paths, the path bounds, the referenced data files and the new sizes of the
 *       rewritten delete files;
 *   <li>manifest lists, with the new manifest paths and lengths;
 *   <li>metadata JSON files with {@link RewriteTablePathUtil#replacePaths}.
 * </ol>
 *
 * <p>Data files and {@code version-hint.text} are copied as they are. The class sits in Iceberg's
 * package because Iceberg 1.11 has no public writer for manifest entries and manifest lists, and
 * {@link RewriteTablePathUtil}'s own manifest and manifest list rewrites keep the old sizes of
 * rewritten files (Iceberg issues 12554 and 13719); readers find Parquet footers from those sizes.
 */
public final class FixtureTableRelocator {

    private final Path source;
    private final Path target;
    private final String from;
    private final String to;
    private final FileIO io;

    private FixtureTableRelocator(Path source, Path target, String from, String to) {
        this.source = source;
        this.target = target;
        this.from = from;
        this.to = to;
        this.io = new TwoPrefixFileIO();
    }

    /**
     * Copies the table in {@code source} (a table directory with {@code metadata/} and data) to
     * {@code target} and returns the table's new location, {@code file:<target>}.
     */
    public static String relocate(Path source, Path target) throws IOException {
        Path metadataDir = source.resolve("metadata");
        String version =
                java.nio.file.Files.readString(metadataDir.resolve("version-hint.text")).trim();
        TableMetadata current =
                TableMetadataParser.read(
                        Files.localInput(
                                metadataDir.resolve("v" + version + ".metadata.json").toFile()));
        String to = "file:" + target.toAbsolutePath();
        new FixtureTableRelocator(source, target, current.location(), to).copy(current);
        return to;
    }

    private void copy(TableMetadata current) throws IOException {
        Map<String, ManifestFile> manifests = new LinkedHashMap<>();
        for (Snapshot snapshot : current.snapshots()) {
            snapshot.allManifests(io).forEach(m -> manifests.putIfAbsent(m.path(), m));
        }
        Map<Integer, PartitionSpec> specs = current.specsById();

        Map<String, Long> deleteFileSizes = new HashMap<>();
        for (ManifestFile manifest : manifests.values()) {
            if (manifest.content() == ManifestContent.DELETES) {
                rewriteDeleteFiles(manifest, specs, current.properties(), deleteFileSizes);
            }
        }
        copyDataFiles(deleteFileSizes.keySet());

        Set<Long> snapshotIds =
                current.snapshots().stream().map(Snapshot::snapshotId).collect(Collectors.toSet());
        Map<String, Long> manifestLengths = new HashMap<>();
        for (ManifestFile manifest : manifests.values()) {
            OutputFile out = io.newOutputFile(moved(manifest.path()));
            if (manifest.content() == ManifestContent.DATA) {
                RewriteTablePathUtil.rewriteDataManifest(
                        manifest, snapshotIds, out, io, current.formatVersion(), specs, from, to);
            } else {
                rewriteDeleteManifest(
                        manifest, out, current.formatVersion(), specs, deleteFileSizes);
            }
            manifestLengths.put(manifest.path(), out.toInputFile().getLength());
        }

        for (Snapshot snapshot : current.snapshots()) {
            rewriteManifestList(snapshot, current.formatVersion(), manifestLengths);
        }

        try (Stream<Path> files = java.nio.file.Files.list(source.resolve("metadata"))) {
            for (Path file : files.toList()) {
                String name = file.getFileName().toString();
                if (name.endsWith(".metadata.json")) {
                    TableMetadata moved =
                            RewriteTablePathUtil.replacePaths(
                                    TableMetadataParser.read(Files.localInput(file.toFile())),
                                    from,
                                    to);
                    TableMetadataParser.write(moved, io.newOutputFile(to + "/metadata/" + name));
                } else if (name.equals("version-hint.text")) {
                    java.nio.file.Files.copy(file, target.resolve("metadata").resolve(name));
                }
            }
        }
    }

    /** Rewrites every delete file the manifest lists, live or not, each file once. */
    private void rewriteDeleteFiles(
            ManifestFile manifest,
            Map<Integer, PartitionSpec> specs,
            Map<String, String> properties,
            Map<String, Long> sizes)
            throws IOException {
        try (ManifestReader<DeleteFile> reader =
                        ManifestFiles.readDeleteManifest(manifest, io, specs);
                CloseableIterable<ManifestEntry<DeleteFile>> entries = reader.entries()) {
            for (ManifestEntry<DeleteFile> entry : entries) {
                DeleteFile file = entry.file();
                if (sizes.containsKey(file.location())) {
                    checkBlobOffsets(file);
                    continue;
                }
                OutputFile out = io.newOutputFile(moved(file.location()));
                if (file.content() == FileContent.POSITION_DELETES) {
                    RewriteTablePathUtil.rewritePositionDeleteFile(
                            file,
                            out,
                            io,
                            specs.get(file.specId()),
                            from,
                            to,
                            new GenericPositionDeletes(properties));
                } else {
                    // Equality deletes hold column values, no paths.
                    java.nio.file.Files.copy(local(file.location()), local(moved(file.location())));
                }
                sizes.put(file.location(), out.toInputFile().getLength());
                checkBlobOffsets(file);
            }
        }
    }

    /** A deletion vector is read at the offset its manifest entry records; it must not move. */
    private void checkBlobOffsets(DeleteFile file) throws IOException {
        if (!ContentFileUtil.isDV(file)) {
            return;
        }
        try (PuffinReader reader = Puffin.read(io.newInputFile(moved(file.location()))).build()) {
            for (BlobMetadata blob : reader.fileMetadata().blobs()) {
                if (blob.offset() == file.contentOffset()) {
                    if (blob.length() != file.contentSizeInBytes()) {
                        throw new IllegalStateException("DV blob changed length: " + file);
                    }
                    return;
                }
            }
        }
        throw new IllegalStateException("DV blob moved in the rewritten Puffin file: " + file);
    }

    private void rewriteDeleteManifest(
            ManifestFile manifest,
            OutputFile out,
            int formatVersion,
            Map<Integer, PartitionSpec> specs,
            Map<String, Long> sizes)
            throws IOException {
        PartitionSpec spec = specs.get(manifest.partitionSpecId());
        try (ManifestWriter<DeleteFile> writer =
                        ManifestFiles.writeDeleteManifest(
                                formatVersion, spec, out, manifest.snapshotId());
                ManifestReader<DeleteFile> reader =
                        ManifestFiles.readDeleteManifest(manifest, io, specs);
                CloseableIterable<ManifestEntry<DeleteFile>> entries = reader.entries()) {
            for (ManifestEntry<DeleteFile> entry : entries) {
                DeleteFile file = entry.file();
                FileMetadata.Builder moved =
                        FileMetadata.deleteFileBuilder(spec)
                                .copy(file)
                                .withPath(moved(file.location()))
                                .withFileSizeInBytes(sizes.get(file.location()));
                if (file.content() == FileContent.POSITION_DELETES) {
                    moved.withMetrics(ContentFileUtil.replacePathBounds(file, from, to));
                    if (file.referencedDataFile() != null) {
                        moved.withReferencedDataFile(moved(file.referencedDataFile()));
                    }
                }
                DeleteFile copy = moved.build();
                switch (entry.status()) {
                    case ADDED -> writer.add(copy);
                    case EXISTING ->
                            writer.existing(
                                    copy,
                                    entry.snapshotId(),
                                    entry.dataSequenceNumber(),
                                    entry.fileSequenceNumber());
                    case DELETED ->
                            writer.delete(
                                    copy, entry.dataSequenceNumber(), entry.fileSequenceNumber());
                }
            }
        }
    }

    private void rewriteManifestList(
            Snapshot snapshot, int formatVersion, Map<String, Long> manifestLengths)
            throws IOException {
        try (ManifestListWriter writer =
                ManifestLists.write(
                        formatVersion,
                        io.newOutputFile(moved(snapshot.manifestListLocation())),
                        PlaintextEncryptionManager.instance(),
                        snapshot.snapshotId(),
                        snapshot.parentId(),
                        snapshot.sequenceNumber(),
                        snapshot.firstRowId())) {
            for (ManifestFile manifest : snapshot.allManifests(io)) {
                ManifestFile copy = manifest.copy();
                ((StructLike) copy).set(0, moved(manifest.path()));
                ((StructLike) copy).set(1, manifestLengths.get(manifest.path()));
                if (copy.length() != manifestLengths.get(manifest.path())) {
                    throw new IllegalStateException("manifest length not set: " + copy);
                }
                writer.add(copy);
            }
        }
    }

    private void copyDataFiles(Set<String> rewritten) throws IOException {
        Set<Path> skip =
                rewritten.stream()
                        .map(this::local)
                        .map(Path::normalize)
                        .collect(Collectors.toSet());
        Path data = source.resolve("data");
        try (Stream<Path> files = java.nio.file.Files.walk(data)) {
            for (Path file : files.filter(java.nio.file.Files::isRegularFile).toList()) {
                if (skip.contains(file.normalize())) {
                    continue;
                }
                Path copy = target.resolve(source.relativize(file).toString());
                java.nio.file.Files.createDirectories(copy.getParent());
                java.nio.file.Files.copy(file, copy);
            }
        }
    }

    private String moved(String path) {
        return RewriteTablePathUtil.newPath(path, from, to);
    }

    /** The local file of a path under either location. */
    private Path local(String path) {
        if (path.startsWith(from + "/")) {
            return source.resolve(path.substring(from.length() + 1));
        }
        if (path.startsWith(to + "/")) {
            return target.resolve(path.substring(to.length() + 1));
        }
        throw new IllegalArgumentException(path + " is under neither " + from + " nor " + to);
    }

    /** Reads the source table's files at their recorded paths, writes the target's. */
    private final class TwoPrefixFileIO implements FileIO {

        @Override
        public InputFile newInputFile(String path) {
            return Files.localInput(local(path).toFile());
        }

        @Override
        public OutputFile newOutputFile(String path) {
            Path file = local(path);
            try {
                java.nio.file.Files.createDirectories(file.getParent());
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            return Files.localOutput(file.toFile());
        }

        @Override
        public void deleteFile(String path) {
            throw new UnsupportedOperationException("the relocation deletes nothing: " + path);
        }
    }

    /**
     * Iceberg's generic Parquet reader and writer for position deletes without row data, writing
     * with the table's Parquet properties (codec) as the engine that wrote the table did.
     */
    private static final class GenericPositionDeletes
            implements RewriteTablePathUtil.PositionDeleteReaderWriter {

        private final Map<String, String> tableProperties;

        GenericPositionDeletes(Map<String, String> tableProperties) {
            this.tableProperties = Map.copyOf(tableProperties);
        }

        @Override
        public CloseableIterable<Record> reader(
                InputFile inputFile, FileFormat format, PartitionSpec spec) {
            checkParquet(format);
            Schema schema = DeleteSchemaUtil.posDeleteReadSchema(spec.schema());
            return Parquet.read(inputFile)
                    .project(schema)
                    .createReaderFunc(
                            fileSchema -> GenericParquetReaders.buildReader(schema, fileSchema))
                    .build();
        }

        @Override
        @SuppressWarnings("deprecation")
        public PositionDeleteWriter<Record> writer(
                OutputFile outputFile,
                FileFormat format,
                PartitionSpec spec,
                StructLike partition,
                Schema rowSchema)
                throws IOException {
            checkParquet(format);
            if (rowSchema != null) {
                throw new UnsupportedOperationException("position deletes with row data");
            }
            return Parquet.writeDeletes(outputFile)
                    .setAll(tableProperties)
                    .createWriterFunc(GenericParquetWriter::create)
                    .overwrite()
                    .withSpec(spec)
                    .withPartition(partition)
                    .buildPositionWriter();
        }

        private static void checkParquet(FileFormat format) {
            if (format != FileFormat.PARQUET) {
                throw new UnsupportedOperationException("position deletes in " + format);
            }
        }
    }
}
