package io.walguard.sqlite.probe;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * The second process of the live filesystem checks: POSIX locks never conflict within one process, so only another
 * process can show whether they work. It answers one command per line on stdin:
 * {@code lock OFFSET LENGTH shared|exclusive} (try, release at once: {@code granted} or {@code refused}),
 * {@code read OFFSET} and {@code write OFFSET VALUE} (a long through its own shared mapping), {@code quit}.
 */
public final class ProbePeer {

  private ProbePeer() {}

  public static void main(String[] args) throws Exception {
    Path file = Path.of(args[0]);
    PrintStream out = new PrintStream(System.out, true, StandardCharsets.UTF_8);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ, StandardOpenOption.WRITE)) {
      MappedByteBuffer map = null;
      out.println("ready");
      for (String line; (line = in.readLine()) != null; ) {
        String[] w = line.trim().split(" ");
        try {
          switch (w[0]) {
            case "lock" -> {
              FileLock l = ch.tryLock(Long.parseLong(w[1]), Long.parseLong(w[2]), w[3].equals("shared"));
              if (l != null) l.release();
              out.println(l != null ? "granted" : "refused");
            }
            case "read" -> {
              if (map == null) map = ch.map(FileChannel.MapMode.READ_WRITE, 0, LiveChecks.FILE_SIZE);
              out.println(map.getLong(Integer.parseInt(w[1])));
            }
            case "write" -> {
              if (map == null) map = ch.map(FileChannel.MapMode.READ_WRITE, 0, LiveChecks.FILE_SIZE);
              map.putLong(Integer.parseInt(w[1]), Long.parseLong(w[2]));
              out.println("done");
            }
            case "quit" -> {
              return;
            }
            default -> out.println("error unknown command " + w[0]);
          }
        } catch (Exception e) {
          out.println("error " + e.getClass().getSimpleName() + ": " + e.getMessage());
        }
      }
    }
  }
}
