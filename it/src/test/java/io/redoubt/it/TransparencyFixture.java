package io.redoubt.it;

import io.redoubt.transparency.TransparencyLog;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test-only, deployed into the WAR by {@link TransparencyIT}: appends leaves the way enrollment
 * will (in the caller's transaction), and rewrites stored rows through the application's own
 * datasource, as an insider with database access could.
 */
@Stateless
@Path("it/transparency")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class TransparencyFixture {

  private static final SecureRandom RANDOM = new SecureRandom();

  @EJB TransparencyLog log;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  /** Appends {@code count} certificate-issued leaves in one transaction; returns their indexes. */
  @POST
  @Path("append")
  public List<Long> append(@QueryParam("count") int count) {
    List<Long> indexes = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      byte[] certificateHash = new byte[48];
      RANDOM.nextBytes(certificateHash);
      indexes.add(
          log.appendIssued(
              "it-user-" + UUID.randomUUID(), UUID.randomUUID().toString(), certificateHash));
    }
    return indexes;
  }

  /** Overwrites a stored subtree hash; returns the previous value (base64url). */
  @POST
  @Path("rewrite-subtree")
  public String rewriteSubtree(@QueryParam("node") long node, @QueryParam("hash") String hash)
      throws SQLException {
    String old = select("SELECT hash FROM transparency_subtree WHERE node = ?", node);
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE transparency_subtree SET hash = ? WHERE node = ?")) {
      update.setBytes(1, Base64.getUrlDecoder().decode(hash));
      update.setLong(2, node);
      update.executeUpdate();
    }
    return old;
  }

  /** Overwrites the user id of a stored leaf; returns the previous one. */
  @POST
  @Path("rewrite-user")
  public String rewriteUser(@QueryParam("index") long index, @QueryParam("userId") String userId)
      throws SQLException {
    String old;
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT user_id FROM transparency_leaf WHERE leaf_index = ?")) {
        query.setLong(1, index);
        try (ResultSet row = query.executeQuery()) {
          row.next();
          old = row.getString(1);
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement(
              "UPDATE transparency_leaf SET user_id = ? WHERE leaf_index = ?")) {
        update.setString(1, userId);
        update.setLong(2, index);
        update.executeUpdate();
      }
    }
    return "\"" + old + "\"";
  }

  private String select(String sql, long key) throws SQLException {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement query = connection.prepareStatement(sql)) {
      query.setLong(1, key);
      try (ResultSet row = query.executeQuery()) {
        row.next();
        return "\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(row.getBytes(1))
            + "\"";
      }
    }
  }
}
