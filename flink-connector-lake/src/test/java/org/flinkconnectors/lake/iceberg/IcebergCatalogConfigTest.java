package org.flinkconnectors.lake.iceberg;

import org.apache.iceberg.catalog.Catalog;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.ByteArrayOutputStream;
import java.io.Closeable;
import java.io.ObjectOutputStream;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What an Iceberg catalog configuration prints, opens and rejects. */
class IcebergCatalogConfigTest {

    @Test
    void neverPrintsSecretsNorTheUrisCredentials() throws Exception {
        IcebergCatalogConfig rest =
                IcebergCatalogConfig.rest("https://alice:pw1@catalog.example/api?token=t0")
                        .withProperty("token", "t1")
                        .withProperty("credential", "id:s3cret");
        IcebergCatalogConfig jdbc =
                IcebergCatalogConfig.jdbc("jdbc:postgresql://db/iceberg;password=pw2", "/w")
                        .withProperty("jdbc.password", "pw3");
        IcebergTableLoader loader = IcebergTableLoader.of(rest, "db", "t");

        for (String printed :
                new String[] {
                    rest.toString(), jdbc.toString(), loader.toString(), loader.describe()
                }) {
            assertThat(printed).doesNotContain("pw1", "t0", "t1", "s3cret", "pw2", "pw3");
        }
        assertThat(rest.describe())
                .isEqualTo("rest catalog 'lake' at https://***@catalog.example/api?...");
        assertThat(rest.secretProperties())
                .containsOnlyKeys("token", "credential")
                .containsEntry("token", "t1");
        // A loader travels to the task managers.
        new ObjectOutputStream(new ByteArrayOutputStream()).writeObject(loader);
    }

    @Test
    void opensAJdbcCatalogAndRejectsUnknownTypes(@TempDir Path dir) throws Exception {
        Catalog catalog =
                IcebergCatalogConfig.jdbc("jdbc:sqlite:" + dir.resolve("c.db"), dir.toString())
                        .withName("mine")
                        .open();
        try {
            assertThat(catalog.name()).isEqualTo("mine");
        } finally {
            ((Closeable) catalog).close();
        }
        assertThatThrownBy(() -> IcebergCatalogConfig.hadoop("/w").withName(null))
                .isInstanceOf(NullPointerException.class);
    }
}
