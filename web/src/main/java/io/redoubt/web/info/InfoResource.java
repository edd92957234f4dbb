package io.redoubt.web.info;

import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.FipsModuleStatus;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationCa;
import io.redoubt.keys.OrganisationKeys;
import io.redoubt.organisation.OrganisationSettings;
import io.redoubt.protocol.api.InfoResponse;
import io.redoubt.web.Pem;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.List;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/** {@code GET /api/v1/info}: public facts about this installation. */
@Path("info")
@RequestScoped
@PermitAll
public class InfoResource {

  static final String PRODUCT = "Redoubt";
  private static final String VERSION = readVersion();

  @EJB OrganisationCa ca;
  @EJB OrganisationKeys keys;
  @Inject OrganisationSettings organisation;

  @Inject
  @ConfigProperty(name = "redoubt.oidc-issuer")
  String oidcIssuer;

  @Inject
  @ConfigProperty(name = "redoubt.oidc-client-id", defaultValue = "redoubt-cli")
  String oidcClientId;

  @GET
  @Produces(MediaType.APPLICATION_JSON)
  public InfoResponse info() throws GeneralSecurityException {
    List<X509Certificate> chain = ca.certificateChain();
    var pem = new StringBuilder();
    var fingerprints = new ArrayList<String>();
    for (X509Certificate certificate : chain) {
      pem.append(Pem.certificate(certificate.getEncoded()));
      fingerprints.add(Fingerprint.sha384Hex(certificate.getEncoded()));
    }
    byte[] logCertificate = keys.signer(KeyPurpose.TRANSPARENCY_LOG).certificate().getEncoded();
    FipsModuleStatus fips = FipsModuleStatus.current();
    return new InfoResponse(
        PRODUCT,
        VERSION,
        organisation.name(),
        new InfoResponse.IdentityProvider(oidcIssuer, oidcClientId),
        pem.toString(),
        fingerprints,
        Pem.certificate(logCertificate),
        Fingerprint.sha384Hex(logCertificate),
        new InfoResponse.Fips(
            fips.module(), fips.version(), fips.approvedOnly(), fips.selfTestPassed()));
  }

  /** The build's version, written into build.properties by Maven resource filtering. */
  private static String readVersion() {
    try (var in = InfoResource.class.getResourceAsStream("build.properties")) {
      var properties = new java.util.Properties();
      if (in != null) {
        properties.load(in);
      }
      return properties.getProperty("version", "development");
    } catch (java.io.IOException e) {
      return "development";
    }
  }
}
