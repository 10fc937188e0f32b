package io.walguard.compose;

import io.walguard.audit.BadInputException;
import io.walguard.audit.Quoted;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The {@code .env} file beside a Compose file, which Compose reads for interpolation: {@code KEY=VALUE} lines,
 * {@code export} prefixes, {@code #} comments, single quotes (literal) and double quotes (with {@code \n}, {@code \"}
 * and {@code \\} escapes).
 */
final class DotEnv {

  private DotEnv() {}

  /** The variables of {@code directory/.env}, or none when there is no such file. */
  static Map<String, String> read(Path directory) throws BadInputException {
    Path file = directory.resolve(".env");
    Map<String, String> variables = new LinkedHashMap<>();
    if (!Files.isRegularFile(file)) {
      return variables;
    }
    List<String> lines;
    try {
      if (Files.size(file) > ComposeYaml.MAX_BYTES) {
        throw new BadInputException(file + ": larger than " + ComposeYaml.MAX_BYTES + " bytes; keep .env small");
      }
      lines = Files.readAllLines(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new BadInputException(file + ": cannot be read (" + e.getMessage() + ")", e);
    }
    for (int n = 0; n < lines.size(); n++) {
      String line = lines.get(n).strip();
      if (line.isEmpty() || line.startsWith("#")) {
        continue;
      }
      if (line.startsWith("export ")) {
        line = line.substring("export ".length()).strip();
      }
      int eq = line.indexOf('=');
      if (eq <= 0) {
        continue;
      }
      String key = line.substring(0, eq).strip();
      if (!key.matches("[A-Za-z_][A-Za-z0-9_.-]*")) {
        throw new BadInputException(file + ":" + (n + 1) + ": " + Quoted.quoted(key) + " is not a variable name; write"
            + " NAME=value");
      }
      variables.put(key, value(line.substring(eq + 1).strip()));
    }
    return variables;
  }

  private static String value(String raw) {
    if (raw.length() >= 2 && raw.startsWith("'") && raw.indexOf('\'', 1) > 0) {
      return raw.substring(1, raw.indexOf('\'', 1));
    }
    if (raw.length() >= 2 && raw.startsWith("\"")) {
      StringBuilder out = new StringBuilder();
      for (int i = 1; i < raw.length(); i++) {
        char c = raw.charAt(i);
        if (c == '"') {
          return out.toString();
        }
        if (c == '\\' && i + 1 < raw.length()) {
          char next = raw.charAt(++i);
          out.append(next == 'n' ? '\n' : next);
        } else {
          out.append(c);
        }
      }
      return out.toString();
    }
    int comment = raw.indexOf(" #");
    return (comment >= 0 ? raw.substring(0, comment) : raw).strip();
  }
}
