package io.walguard.sqlite;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.walguard.sqlite.support.Sql;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DatabaseHeaderTest {

  @TempDir Path dir;

  @Test
  void walDatabaseHasTwoInBytes18And19() throws Exception {
    Path db = dir.resolve("w.db");
    Sql.createWal(db, 3);
    DatabaseHeader h = DatabaseHeader.read(db);
    assertThat(h.journal()).isEqualTo(DatabaseHeader.Journal.wal);
    assertThat(h.versionBytes()).isEqualTo("2/2");
    assertThat(h.pageSize()).isEqualTo(4096);
  }

  @Test
  void rollbackDatabaseHasOne() throws Exception {
    Path db = dir.resolve("r.db");
    Sql.createRollback(db, 3);
    DatabaseHeader h = DatabaseHeader.read(db);
    assertThat(h.journal()).isEqualTo(DatabaseHeader.Journal.rollback);
    assertThat(h.pageCount()).isEqualTo(Files.size(db) / 4096);
  }

  @Test
  void pageSizeOneMeans65536() throws Exception {
    byte[] bytes = new byte[100];
    System.arraycopy("SQLite format 3\0".getBytes(StandardCharsets.US_ASCII), 0, bytes, 0, 16);
    bytes[16] = 0;
    bytes[17] = 1;
    bytes[18] = 2;
    bytes[19] = 2;
    assertThat(DatabaseHeader.parse(bytes, 100, Path.of("x")).pageSize()).isEqualTo(65536);
  }

  @Test
  void emptyFileHasNoHeader() throws Exception {
    Path db = Files.createFile(dir.resolve("empty.db"));
    assertThat(DatabaseHeader.journalOf(DatabaseHeader.read(db))).isEqualTo(DatabaseHeader.Journal.empty);
  }

  @Test
  void otherFilesAreRefusedWithAHint() throws Exception {
    Path other = Files.writeString(dir.resolve("notes.txt"), "hello");
    assertThatThrownBy(() -> DatabaseHeader.read(other))
        .isInstanceOf(ToolboxException.class)
        .hasMessageContaining("is not a SQLite database")
        .hasMessageContaining("not of its -wal");
  }
}
