package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;

import org.apache.parquet.io.DelegatingSeekableInputStream;
import org.apache.parquet.io.InputFile;
import org.apache.parquet.io.SeekableInputStream;

import java.io.IOException;

/** An Iceberg file, through the table's {@code FileIO}, as Parquet's reader opens files. */
@Internal
final class IcebergParquetInputFile implements InputFile {

    private final org.apache.iceberg.io.InputFile file;

    IcebergParquetInputFile(org.apache.iceberg.io.InputFile file) {
        this.file = file;
    }

    @Override
    public long getLength() {
        return file.getLength();
    }

    @Override
    public SeekableInputStream newStream() {
        org.apache.iceberg.io.SeekableInputStream stream = file.newStream();
        return new DelegatingSeekableInputStream(stream) {
            @Override
            public long getPos() throws IOException {
                return stream.getPos();
            }

            @Override
            public void seek(long position) throws IOException {
                stream.seek(position);
            }
        };
    }

    @Override
    public String toString() {
        return file.location();
    }
}
