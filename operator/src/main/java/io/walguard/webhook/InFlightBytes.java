package io.walguard.webhook;

import java.util.concurrent.atomic.AtomicLong;

/**
 * Heap that the requests being answered may take together, shared by all workers. A bounded pool of workers bounds
 * how many requests are read at once, not how much memory they take: a few large hostile bodies at once could fill
 * the operator's heap (and the chart's JVM exits on OutOfMemoryError). Each request reserves its body before reading
 * it and the objects it will read before building them; what does not fit now is refused at once (429) rather than
 * waited for, and what could never fit is refused as too large (413).
 */
final class InFlightBytes {

  private final long capacity;
  private final AtomicLong used = new AtomicLong();

  InFlightBytes(long capacity) {
    if (capacity <= 0) {
      throw new IllegalArgumentException("capacity must be positive");
    }
    this.capacity = capacity;
  }

  long capacity() {
    return capacity;
  }

  /** Bytes reserved now. */
  long used() {
    return used.get();
  }

  /** Whether a reservation of that size could ever be granted. */
  boolean fits(long bytes) {
    return bytes <= capacity;
  }

  /** A reservation of {@code bytes}, or null when the budget cannot spare them now. */
  Reservation tryReserve(long bytes) {
    if (bytes < 0) {
      throw new IllegalArgumentException("bytes must not be negative");
    }
    long now;
    do {
      now = used.get();
      if (now + bytes > capacity) {
        return null;
      }
    } while (!used.compareAndSet(now, now + bytes));
    return new Reservation(bytes);
  }

  /** Bytes held until closed; closing twice releases once. */
  final class Reservation implements AutoCloseable {
    private long bytes;

    private Reservation(long bytes) {
      this.bytes = bytes;
    }

    @Override
    public void close() {
      long held = bytes;
      bytes = 0;
      used.addAndGet(-held);
    }
  }
}
