package io.walguard.audit.fuzz;

import java.io.ByteArrayOutputStream;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.Function;

/**
 * Inputs broken or disguised at the level of bytes: byte order marks and CRLF line ends (which change nothing),
 * UTF-16 and UTF-32, invalid UTF-8, NUL bytes, control characters, random binary, and files with nothing in them.
 */
final class ByteFuzz {

  private static final byte[] UTF8_BOM = {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF};

  /** Byte sequences that are not UTF-8: a lone continuation byte, overlong forms, a surrogate, 5 bytes, a cut. */
  private static final List<byte[]> INVALID_UTF8 = List.of(
      new byte[] {(byte) 0x80}, new byte[] {(byte) 0xC0, (byte) 0xAF}, new byte[] {(byte) 0xE0, (byte) 0x80,
          (byte) 0xAF}, new byte[] {(byte) 0xED, (byte) 0xA0, (byte) 0x80}, new byte[] {(byte) 0xF8, (byte) 0x88,
          (byte) 0x80, (byte) 0x80, (byte) 0x80}, new byte[] {(byte) 0xFE}, new byte[] {(byte) 0xFF},
      new byte[] {(byte) 0xE2, (byte) 0x82});

  private ByteFuzz() {}

  /**
   * For each example, the variants that must read exactly like it (a BOM, CRLF, both); then each kind of breakage
   * once, on the examples in turn.
   */
  static List<HostileInput> encodings(Random random, List<Examples.Example> examples, List<HostileInput> originals) {
    List<HostileInput> inputs = new ArrayList<>();
    for (int e = 0; e < examples.size(); e++) {
      Examples.Example example = examples.get(e);
      String crlf = example.text().replace("\n", "\r\n");
      inputs.add(HostileInput.sameAs(originals.get(e), "encodings", example.name() + " with a UTF-8 BOM",
          TextFuzz.path("bytes", inputs.size(), example.compose()), concat(UTF8_BOM, utf8(example.text()))));
      inputs.add(HostileInput.sameAs(originals.get(e), "encodings", example.name() + " with CRLF line ends",
          TextFuzz.path("bytes", inputs.size(), example.compose()), utf8(crlf)));
      inputs.add(HostileInput.sameAs(originals.get(e), "encodings", example.name() + " with a BOM and CRLF",
          TextFuzz.path("bytes", inputs.size(), example.compose()), concat(UTF8_BOM, utf8(crlf))));
    }
    List<Breakage> breakages = new ArrayList<>();
    breakages.add(new Breakage("with CR line ends", false, text -> utf8(text.replace("\n", "\r"))));
    breakages.add(new Breakage("with a BOM in the middle", false, text -> utf8(insert(random, text, "\uFEFF"))));
    for (Charset charset : List.of(StandardCharsets.UTF_16LE, StandardCharsets.UTF_16BE, StandardCharsets.UTF_16,
        Charset.forName("UTF-32"))) {
      byte[] bom = charset.equals(StandardCharsets.UTF_16LE) ? new byte[] {(byte) 0xFF, (byte) 0xFE}
          : charset.equals(StandardCharsets.UTF_16BE) ? new byte[] {(byte) 0xFE, (byte) 0xFF} : new byte[0];
      breakages.add(new Breakage("in " + charset, true, text -> concat(bom, text.getBytes(charset))));
    }
    breakages.add(new Breakage("in ISO-8859-1 with an accent", true,
        text -> insert(random, text, "caf\u00e9 ").getBytes(StandardCharsets.ISO_8859_1), "UTF-8"));
    for (byte[] invalid : INVALID_UTF8) {
      breakages.add(new Breakage("with invalid UTF-8 " + hex(invalid), true,
          text -> insertBytes(random, utf8(text), invalid), "UTF-8"));
    }
    breakages.add(new Breakage("with a NUL byte", true, text -> insertBytes(random, utf8(text), new byte[] {0})));
    for (String control : List.of("\u0001", "\u001B[31m", "\u007F", "\u0085", "\u2028", "\uFFFE",
        "\uD83D\uDE00")) {
      breakages.add(new Breakage("with U+" + Integer.toHexString(control.charAt(0)), false,
          text -> utf8(insert(random, text, control))));
    }
    for (int b = 0; b < breakages.size() * HostileManifestTest.SCALE; b++) {
      Breakage breakage = breakages.get(b % breakages.size());
      Examples.Example example = examples.get(b % examples.size());
      String name = example.name() + " " + breakage.name();
      String path = TextFuzz.path("bytes", inputs.size(), example.compose());
      byte[] bytes = breakage.apply().apply(example.text());
      inputs.add(breakage.refused() ? HostileInput.refused("encodings", name, path, bytes, breakage.mentions())
          : HostileInput.any("encodings", name, path, bytes));
    }
    for (int n = 0; n < 6; n++) {
      byte[] binary = new byte[64 << (2 * n)];
      random.nextBytes(binary);
      inputs.add(HostileInput.refused("encodings", binary.length + " random bytes",
          TextFuzz.path("bytes", inputs.size(), n % 2 == 1), binary));
    }
    for (boolean compose : new boolean[] {false, true}) {
      for (byte[] content : List.of(new byte[0], UTF8_BOM, utf8("   \n\n"), utf8("# only a comment\n"),
          utf8("---\n...\n---\n"), utf8("~\n"), utf8(" \t\n"))) {
        // A manifest with nothing in it holds no database (a line of blanks and a tab is a syntax error to
        // SnakeYAML); an empty Compose file is not a Compose file.
        String name = (compose ? "Compose: " : "") + "nothing but " + hex(content);
        String path = TextFuzz.path("bytes", inputs.size(), compose);
        inputs.add(compose || content.length == 3 && content[1] == '\t' ? HostileInput.any("encodings", name, path,
            content) : HostileInput.verdict("encodings", name, path, content));
      }
    }
    return inputs;
  }

  /** One way to break an example's bytes, and whether it must be refused (and with which words). */
  private record Breakage(String name, boolean refused, Function<String, byte[]> apply, String... mentions) {}

  static byte[] utf8(String text) {
    return text.getBytes(StandardCharsets.UTF_8);
  }

  static byte[] concat(byte[] a, byte[] b) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.writeBytes(a);
    out.writeBytes(b);
    return out.toByteArray();
  }

  /** The text with {@code what} inserted at a random line start, inside the document rather than before it. */
  private static String insert(Random random, String text, String what) {
    List<Integer> starts = new ArrayList<>();
    for (int at = text.indexOf('\n'); at >= 0 && at + 1 < text.length(); at = text.indexOf('\n', at + 1)) {
      starts.add(at + 1);
    }
    int at = starts.isEmpty() ? 0 : starts.get(random.nextInt(starts.size()));
    int colon = text.indexOf(": ", at);
    int end = text.indexOf('\n', at);
    // Into a value where the line has one, so that the character sits in a scalar.
    int position = colon > 0 && (end < 0 || colon < end) ? colon + 2 : at;
    return text.substring(0, position) + what + text.substring(position);
  }

  private static byte[] insertBytes(Random random, byte[] bytes, byte[] what) {
    int at = random.nextInt(bytes.length + 1);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(bytes, 0, at);
    out.writeBytes(what);
    out.write(bytes, at, bytes.length - at);
    return out.toByteArray();
  }

  static String hex(byte[] bytes) {
    StringBuilder out = new StringBuilder();
    for (int i = 0; i < Math.min(bytes.length, 8); i++) {
      out.append(String.format("%02X", bytes[i]));
    }
    return bytes.length > 8 ? out + "..." : out.length() == 0 ? "(empty)" : out.toString();
  }
}
