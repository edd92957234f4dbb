package io.redoubt.web.transparency;

import io.redoubt.protocol.api.ConsistencyProofResponse;
import io.redoubt.protocol.api.InclusionProofResponse;
import io.redoubt.protocol.api.LogEntriesResponse;
import io.redoubt.protocol.api.LogEntryResponse;
import io.redoubt.protocol.api.TreeHeadResponse;
import io.redoubt.transparency.InvalidLogRangeException;
import io.redoubt.transparency.SignedTreeHead;
import io.redoubt.transparency.TransparencyLog;
import io.redoubt.transparency.TreeHeadNotYetSignedException;
import io.redoubt.transparency.TreeHeads;
import io.redoubt.transparency.TreeSizeBeyondLogException;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import jakarta.validation.constraints.NotNull;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.util.List;
import java.util.Optional;

/**
 * {@code /api/v1/transparency}: the key-transparency log's signed heads, entries and proofs, for
 * every authenticated role (clients check their own and their peers' certificates; auditors watch
 * the whole log). Binary fields are base64url without padding.
 */
@Path("transparency")
@RequestScoped
@RolesAllowed({Roles.USER, Roles.ADMIN, Roles.AUDITOR})
@Produces(MediaType.APPLICATION_JSON)
public class TransparencyResource {

  /** The largest page of entries one request returns. */
  static final int MAX_PAGE = 1000;

  @EJB TransparencyLog log;
  @EJB TreeHeads heads;

  /**
   * The newest signed tree head; with {@code covering=i}, waits (at most {@link
   * TreeHeads#MAX_WAIT}) for the first head that includes leaf i, which the next signing batch
   * produces (signed on demand, shared by all waiters, a few hundred milliseconds).
   */
  @GET
  @Path("tree-head")
  public TreeHeadResponse treeHead(@QueryParam("covering") @Min(0) Long covering)
      throws TreeHeadNotYetSignedException, InterruptedException {
    Optional<SignedTreeHead> head =
        covering == null ? heads.newest() : heads.awaitCovering(covering, TreeHeads.MAX_WAIT);
    SignedTreeHead signed =
        head.orElseThrow(
            () ->
                new TreeHeadNotYetSignedException(
                    covering == null
                        ? "No tree head has been signed yet."
                        : "No signed tree head covers leaf " + covering + " yet."));
    return TransparencyViews.treeHead(signed);
  }

  /** Entries [start, end), at most {@value #MAX_PAGE} of them. */
  @GET
  @Path("entries")
  public LogEntriesResponse entries(
      @QueryParam("start") @NotNull @Min(0) Long start,
      @QueryParam("end") @NotNull @Min(1) Long end)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    if (end <= start || end - start > MAX_PAGE) {
      throw new InvalidLogRangeException(
          "entries need start < end and at most " + MAX_PAGE + " per page");
    }
    long size = log.size();
    if (end > size) {
      throw new TreeSizeBeyondLogException(end, size);
    }
    List<LogEntryResponse> entries =
        log.entries(start, end).stream().map(TransparencyViews::entry).toList();
    return new LogEntriesResponse(start, end, entries);
  }

  /** The inclusion proof of leaf {@code index} in the tree of {@code treeSize} leaves. */
  @GET
  @Path("proof/inclusion")
  public InclusionProofResponse inclusionProof(
      @QueryParam("index") @NotNull @Min(0) Long index,
      @QueryParam("treeSize") @NotNull @Min(1) @Max(Long.MAX_VALUE) Long treeSize)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    return TransparencyViews.inclusionProof(index, treeSize, log.inclusionProof(index, treeSize));
  }

  /** The consistency proof between the trees of {@code from} and {@code to} leaves. */
  @GET
  @Path("proof/consistency")
  public ConsistencyProofResponse consistencyProof(
      @QueryParam("from") @NotNull @Min(1) Long from, @QueryParam("to") @NotNull @Min(1) Long to)
      throws InvalidLogRangeException, TreeSizeBeyondLogException {
    return new ConsistencyProofResponse(
        from, to, TransparencyViews.hashes(log.consistencyProof(from, to)));
  }
}
