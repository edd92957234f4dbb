package io.redoubt.it;

import io.redoubt.devices.DeviceCertificateProfile;
import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.HsmContentSigner;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeys;
import io.redoubt.organisation.OrganisationSettings;
import io.redoubt.protocol.ProtocolCurves;
import io.redoubt.protocol.crypto.FipsModule;
import io.redoubt.protocol.transparency.LogLeaf;
import io.redoubt.transparency.TransparencyLog;
import jakarta.annotation.Resource;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.POST;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.QueryParam;
import jakarta.ws.rs.core.MediaType;
import java.security.KeyPairGenerator;
import java.security.cert.X509Certificate;
import java.security.interfaces.ECPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import javax.sql.DataSource;

/**
 * Test-only, deployed into the WAR by {@link KeyTransparencyIT}: what a malicious operator with
 * access to the HSM and the database could do. It issues device certificates with the real HSM CA
 * key outside enrollment (logged or not), and overwrites stored subtree hashes.
 */
@Stateless
@Path("it/rogue")
@PermitAll
@Produces(MediaType.APPLICATION_JSON)
public class RogueCertificateFixture {

  @EJB OrganisationKeys keys;
  @EJB TransparencyLog log;
  @Inject OrganisationSettings organisation;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  /**
   * Issues a device certificate for {@code userId} with the HSM CA key, for a fresh key and device
   * id; with {@code logged}, appends it to the log in this transaction as enrollment would.
   */
  @POST
  @Path("issue")
  public Map<String, Object> issue(
      @QueryParam("userId") String userId, @QueryParam("logged") boolean logged) throws Exception {
    KeyPairGenerator generator = KeyPairGenerator.getInstance("EC", FipsModule.PROVIDER);
    generator.initialize(new ECGenParameterSpec(ProtocolCurves.P384));
    UUID deviceId = UUID.randomUUID();
    var caSigner = keys.signer(KeyPurpose.DEVICE_CA);
    X509Certificate certificate =
        DeviceCertificateProfile.issue(
            caSigner.certificate(),
            new HsmContentSigner(caSigner),
            organisation.name(),
            userId,
            deviceId,
            (ECPublicKey) generator.generateKeyPair().getPublic(),
            java.time.Instant.now(),
            DeviceCertificateProfile.DEFAULT_VALIDITY);
    byte[] sha384 = Fingerprint.sha384(certificate.getEncoded());
    Map<String, Object> result = new LinkedHashMap<>();
    result.put("deviceId", deviceId.toString());
    result.put(
        "certificatePem",
        "-----BEGIN CERTIFICATE-----\n"
            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(certificate.getEncoded())
            + "\n-----END CERTIFICATE-----\n");
    result.put("certificateSha384", Base64.getUrlEncoder().withoutPadding().encodeToString(sha384));
    result.put("index", logged ? log.appendIssued(userId, deviceId.toString(), sha384) : -1L);
    return result;
  }

  /**
   * Overwrites with zeros every stored subtree hash that lies wholly inside leaves [start, end);
   * returns the old values by node, for {@link #restore}.
   */
  @POST
  @Path("corrupt-range")
  public Map<String, String> corruptRange(
      @QueryParam("start") long start, @QueryParam("end") long end) throws Exception {
    Map<String, String> old = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection()) {
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT node, hash FROM transparency_subtree WHERE node BETWEEN ? AND ?")) {
        query.setLong(1, 2 * start);
        query.setLong(2, 2 * end);
        try (ResultSet rows = query.executeQuery()) {
          while (rows.next()) {
            long node = rows.getLong(1);
            long width = Long.lowestOneBit(node + 1); // node = 2·first + width − 1
            long first = (node + 1 - width) / 2;
            if (first >= start && first + width <= end) {
              old.put(
                  Long.toString(node),
                  Base64.getUrlEncoder().withoutPadding().encodeToString(rows.getBytes(2)));
            }
          }
        }
      }
      try (PreparedStatement update =
          connection.prepareStatement("UPDATE transparency_subtree SET hash = ? WHERE node = ?")) {
        for (String node : old.keySet()) {
          update.setBytes(1, new byte[48]);
          update.setLong(2, Long.parseLong(node));
          update.executeUpdate();
        }
      }
    }
    return old;
  }

  /** Puts back what {@link #corruptRange} returned. */
  @POST
  @Path("restore")
  @Consumes(MediaType.APPLICATION_JSON)
  public int restore(Map<String, String> hashes) throws Exception {
    try (Connection connection = dataSource.getConnection();
        PreparedStatement update =
            connection.prepareStatement(
                "UPDATE transparency_subtree SET hash = ? WHERE node = ?")) {
      for (var entry : hashes.entrySet()) {
        update.setBytes(1, Base64.getUrlDecoder().decode(entry.getValue()));
        update.setLong(2, Long.parseLong(entry.getKey()));
        update.executeUpdate();
      }
    }
    return hashes.size();
  }

  /**
   * Rewrites leaf {@code index} as an operator hiding an entry would: the user id column AND the
   * leaf bytes, re-encoded consistently, so that the entry reads as another user's everywhere.
   * Returns the old user id and leaf bytes for {@link #restoreEntry}.
   */
  @POST
  @Path("rewrite-entry")
  public Map<String, String> rewriteEntry(
      @QueryParam("index") long index, @QueryParam("userId") String userId) throws Exception {
    Map<String, String> old = new LinkedHashMap<>();
    try (Connection connection = dataSource.getConnection()) {
      LogLeaf rewritten;
      try (PreparedStatement query =
          connection.prepareStatement(
              "SELECT kind, user_id, device_id, certificate_sha384, logged_at_millis, leaf_bytes"
                  + " FROM transparency_leaf WHERE leaf_index = ?")) {
        query.setLong(1, index);
        try (ResultSet row = query.executeQuery()) {
          if (!row.next()) {
            throw new IllegalArgumentException("no leaf " + index);
          }
          old.put("userId", row.getString(2));
          old.put("leaf", Base64.getUrlEncoder().encodeToString(row.getBytes(6)));
          rewritten =
              new LogLeaf(
                  io.redoubt.protocol.transparency.LeafKind.ofCode(row.getString(1)),
                  userId,
                  row.getString(3),
                  row.getBytes(4),
                  java.time.Instant.ofEpochMilli(row.getLong(5)));
        }
      }
      updateEntry(connection, index, userId, rewritten.encode());
    }
    return old;
  }

  /** Puts back what {@link #rewriteEntry} returned. */
  @POST
  @Path("restore-entry")
  @Consumes(MediaType.APPLICATION_JSON)
  public long restoreEntry(@QueryParam("index") long index, Map<String, String> old)
      throws Exception {
    try (Connection connection = dataSource.getConnection()) {
      updateEntry(
          connection, index, old.get("userId"), Base64.getUrlDecoder().decode(old.get("leaf")));
    }
    return index;
  }

  private static void updateEntry(Connection connection, long index, String userId, byte[] leaf)
      throws Exception {
    try (PreparedStatement update =
        connection.prepareStatement(
            "UPDATE transparency_leaf SET user_id = ?, leaf_bytes = ? WHERE leaf_index = ?")) {
      update.setString(1, userId);
      update.setBytes(2, leaf);
      update.setLong(3, index);
      if (update.executeUpdate() != 1) {
        throw new IllegalStateException("leaf " + index + " was not rewritten");
      }
    }
  }
}
