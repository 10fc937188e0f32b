package io.walguard.jobs;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/** Names for the objects walguard creates, kept within the 52 characters a CronJob name may have. */
final class JobNames {

  private static final int MAX = 52;

  private JobNames() {}

  static String fit(String base, String suffix) {
    if (base.length() + suffix.length() <= MAX) {
      return base + suffix;
    }
    String hash = hash(base).substring(0, 6);
    String head = base.substring(0, MAX - suffix.length() - hash.length() - 1).replaceAll("[-.]+$", "");
    return head + "-" + hash + suffix;
  }

  /** A short stable hash of the inputs, so a changed request gets a new Job and an unchanged one the same. */
  static String hash(String... parts) {
    try {
      MessageDigest sha = MessageDigest.getInstance("SHA-256");
      for (String part : parts) {
        sha.update(String.valueOf(part).getBytes(StandardCharsets.UTF_8));
        sha.update((byte) 0);
      }
      return HexFormat.of().formatHex(sha.digest()).substring(0, 10);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
