package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Table;
import org.apache.iceberg.encryption.EncryptedFiles;
import org.apache.iceberg.io.InputFile;

import java.util.function.Function;

/** Opens delete files for reading outside Iceberg's scan readers, decrypting them if needed. */
@Internal
final class IcebergDeleteFiles {

    private IcebergDeleteFiles() {}

    static Function<DeleteFile, InputFile> opener(Table table) {
        return delete ->
                table.encryption()
                        .decrypt(
                                EncryptedFiles.encryptedInput(
                                        table.io().newInputFile(delete.location()),
                                        delete.keyMetadata()));
    }
}
