package io.redoubt.client.transparency;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import java.io.IOException;
import java.util.List;

/**
 * The transparency log's read endpoints. Everything they return is untrusted until checked: heads
 * by their signature ({@link SignedHeads}), entries by recomputing their leaf ({@link
 * LogEvidence}), proofs against a signed root. Implemented over HTTP by {@link
 * io.redoubt.client.RedoubtClient#transparency} and in memory by the unit tests' fake log.
 */
public interface LogReader {

  /** The newest signed tree head. */
  TreeHeadResponse newestHead() throws IOException, InterruptedException, RedoubtApiException;

  /** The first signed head that covers leaf {@code index} (the server waits for the next batch). */
  TreeHeadResponse headCovering(long index)
      throws IOException, InterruptedException, RedoubtApiException;

  /** Entries [start, end), at most 1000. */
  List<LogEntryResponse> entries(long start, long end)
      throws IOException, InterruptedException, RedoubtApiException;

  /** The audit path of leaf {@code index} in the tree of {@code treeSize} leaves, base64url. */
  List<String> inclusionProof(long index, long treeSize)
      throws IOException, InterruptedException, RedoubtApiException;

  /**
   * The consistency proof from the tree of {@code from} leaves to that of {@code to}, base64url.
   */
  List<String> consistencyProof(long from, long to)
      throws IOException, InterruptedException, RedoubtApiException;
}
