package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import io.walguard.storage.StorageKind;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * One entry of the top-level {@code x-walguard: {databases: [...]}}: a volume (or bind source) that holds a SQLite
 * database, and optionally what backs it ({@code storage}), which overrides the classifier.
 */
record DeclaredDatabase(String volume, Optional<StorageKind> storage, Field field) {

  private static final Set<String> ENTRY_FIELDS = Set.of("volume", "file", "storage");

  static List<DeclaredDatabase> readAll(Field walguard) throws BadInputException {
    if (walguard.isAbsent()) {
      return List.of();
    }
    Map<String, Field> fields = walguard.entries("a mapping with databases:");
    for (String key : fields.keySet()) {
      if (!key.equals("databases")) {
        throw fields.get(key).fail("is not a field walguard knows", "x-walguard holds databases: only");
      }
    }
    List<DeclaredDatabase> databases = new ArrayList<>();
    for (Field entry : walguard.get("databases").items("a list of {volume, file, storage}")) {
      databases.add(read(entry));
    }
    return databases;
  }

  private static DeclaredDatabase read(Field entry) throws BadInputException {
    Map<String, Field> fields = entry.entries("a mapping with volume:, file: and storage:");
    for (String key : fields.keySet()) {
      if (!ENTRY_FIELDS.contains(key)) {
        throw fields.get(key).fail("is not a field walguard knows", "a database has volume:, file: and storage:");
      }
    }
    String volume = entry.get("volume").text("the volume key or bind source that holds the database");
    if (volume == null || volume.isBlank()) {
      throw entry.get("volume").fail("is missing",
          "name the volume that holds the database: its key under volumes:, or a bind mount's source as written");
    }
    String file = entry.get("file").text("the database's path inside the volume");
    if (file != null && (file.startsWith("/") || List.of(file.split("/")).contains(".."))) {
      throw entry.get("file").fail("is " + Quoted.quoted(file),
          "give the database's path relative to the volume, without \"..\", e.g. app.db or data/app.db");
    }
    String storage = entry.get("storage").text("local, network or fuse");
    Optional<StorageKind> kind = Optional.empty();
    if (storage != null && !storage.equalsIgnoreCase("auto")) {
      kind = switch (storage.toLowerCase(Locale.ROOT)) {
        case "local" -> Optional.of(StorageKind.local);
        case "network" -> Optional.of(StorageKind.network);
        case "fuse" -> Optional.of(StorageKind.fuse);
        default -> throw entry.get("storage").fail("is " + Quoted.quoted(storage), "use local, network, fuse or auto");
      };
    }
    return new DeclaredDatabase(volume, kind, entry);
  }
}
