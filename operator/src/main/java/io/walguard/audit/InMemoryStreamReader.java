package io.walguard.audit;

import java.io.Reader;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.reader.ReaderException;
import org.yaml.snakeyaml.reader.StreamReader;
import org.yaml.snakeyaml.scanner.Constant;

/**
 * SnakeYAML's reader over a text that is already in memory. SnakeYAML's own reader refills a 1 KiB window and copies
 * everything not yet consumed on each refill, so one long token (a base64 blob, a long comment line) costs time
 * quadratic in its length: a 4 MiB value took minutes. This one looks at the whole text, so reading is linear. It
 * behaves as SnakeYAML's reader does: the same marks, line and column counting, and the same refusal of characters
 * YAML does not allow.
 */
public final class InMemoryStreamReader extends StreamReader {

  private static final String NAME = "'reader'";

  private final int[] codePoints;
  private int index;
  private int documentIndex;
  private int line;
  private int column;

  /** @throws ReaderException at the first character that YAML does not allow */
  public InMemoryStreamReader(String text) {
    super(Reader.nullReader());
    this.codePoints = text.codePoints().toArray();
    for (int i = 0; i < codePoints.length; i++) {
      if (!isPrintable(codePoints[i])) {
        throw new ReaderException(NAME, i, codePoints[i], "special characters are not allowed");
      }
    }
  }

  @Override
  public Mark getMark() {
    return new Mark(NAME, index, line, column, codePoints, index);
  }

  @Override
  public void forward() {
    forward(1);
  }

  @Override
  public void forward(int length) {
    for (int i = 0; i < length && index < codePoints.length; i++) {
      int c = codePoints[index++];
      documentIndex++;
      if (Constant.LINEBR.has(c) || (c == '\r' && index < codePoints.length && codePoints[index] != '\n')) {
        line++;
        column = 0;
      } else if (c != '\uFEFF') {
        column++;
      }
    }
  }

  @Override
  public int peek() {
    return peek(0);
  }

  @Override
  public int peek(int offset) {
    int at = index + offset;
    return at >= 0 && at < codePoints.length ? codePoints[at] : '\0';
  }

  @Override
  public String prefix(int length) {
    int available = Math.max(0, Math.min(length, codePoints.length - index));
    return available == 0 ? "" : new String(codePoints, index, available);
  }

  @Override
  public String prefixForward(int length) {
    String prefix = prefix(length);
    index += length;
    documentIndex += length;
    column += length;
    return prefix;
  }

  @Override
  public int getColumn() {
    return column;
  }

  @Override
  public int getDocumentIndex() {
    return documentIndex;
  }

  @Override
  public void resetDocumentIndex() {
    documentIndex = 0;
  }

  @Override
  public int getIndex() {
    return index;
  }

  @Override
  public int getLine() {
    return line;
  }
}
