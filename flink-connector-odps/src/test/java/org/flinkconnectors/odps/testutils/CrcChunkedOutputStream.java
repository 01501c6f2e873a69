package org.flinkconnectors.odps.testutils;

import java.io.DataOutputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.zip.CRC32C;

/**
 * The framing the tunnel puts around an Arrow download: a big-endian chunk size, then chunks of
 * that many bytes each followed by the CRC-32C of the chunk, and a last, shorter (possibly empty)
 * chunk followed by the CRC-32C of all bytes. The SDK tells the last chunk by its short length, so
 * one is always written, even when the data fills the chunks exactly.
 */
final class CrcChunkedOutputStream extends FilterOutputStream {

    private final DataOutputStream out;
    private final byte[] chunk;
    private final CRC32C chunkCrc = new CRC32C();
    private final CRC32C totalCrc = new CRC32C();
    private int size;
    private boolean closed;

    CrcChunkedOutputStream(OutputStream out, int chunkSize) throws IOException {
        super(out);
        this.out = new DataOutputStream(out);
        this.chunk = new byte[chunkSize];
        this.out.writeInt(chunkSize);
    }

    @Override
    public void write(int b) throws IOException {
        write(new byte[] {(byte) b}, 0, 1);
    }

    @Override
    public void write(byte[] b, int off, int len) throws IOException {
        while (len > 0) {
            int n = Math.min(len, chunk.length - size);
            System.arraycopy(b, off, chunk, size, n);
            size += n;
            off += n;
            len -= n;
            if (size == chunk.length) {
                totalCrc.update(chunk, 0, size);
                chunkCrc.reset();
                chunkCrc.update(chunk, 0, size);
                out.write(chunk, 0, size);
                out.writeInt((int) chunkCrc.getValue());
                size = 0;
            }
        }
    }

    @Override
    public void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        totalCrc.update(chunk, 0, size);
        out.write(chunk, 0, size);
        out.writeInt((int) totalCrc.getValue());
        out.close();
    }
}
