package io.redoubt.protocol.attachments;

import java.io.IOException;
import java.io.InputStream;

/**
 * Reads a stream in chunks of a fixed size and says of each whether it is the last, by reading one
 * byte ahead: STREAM seals (and opens) the last chunk under its own nonce flag, so both sides must
 * know it is the last before they touch it, even when the file is an exact multiple of the chunk
 * size.
 */
final class ChunkReader {

  private final InputStream in;
  private int lookahead = -1;
  private boolean last;

  ChunkReader(InputStream in) {
    this.in = in;
  }

  /** Fills {@code chunk} as far as the stream allows; returns how many bytes it holds. */
  int next(byte[] chunk) throws IOException {
    int n = 0;
    if (lookahead >= 0) {
      chunk[n++] = (byte) lookahead;
      lookahead = -1;
    }
    n += Streams.readFully(in, chunk, n, chunk.length - n);
    last = n < chunk.length;
    if (!last) {
      lookahead = in.read();
      last = lookahead < 0;
    }
    return n;
  }

  /** Whether the chunk {@link #next} returned last is the stream's last. */
  boolean wasLast() {
    return last;
  }
}
