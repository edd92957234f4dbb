package io.redoubt.web.admin;

import io.redoubt.keys.CaCertificateChains;
import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.InvalidCaCertificateException;
import io.redoubt.keys.OrganisationCa;
import io.redoubt.protocol.api.CaCertificateChainResponse;
import io.redoubt.web.Pem;
import io.redoubt.web.Roles;
import jakarta.annotation.security.RolesAllowed;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.inject.Inject;
import jakarta.ws.rs.Consumes;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.PUT;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.MediaType;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.eclipse.microprofile.jwt.JsonWebToken;

/**
 * {@code /api/v1/admin/ca}: makes the device CA an intermediate of the agency's PKI. {@code GET
 * certification-request} hands out a PKCS#10 request signed in the HSM with the CA key; {@code PUT
 * certificate} installs the certificate chain the agency's PKI returned (see {@link
 * CaCertificateChains} for what is accepted).
 */
@Path("admin/ca")
@RequestScoped
@RolesAllowed(Roles.ADMIN)
public class CaResource {

  /** PEM text (RFC 7468); what agencies' PKI tools read and write. */
  public static final String PEM = "application/x-pem-file";

  @EJB OrganisationCa ca;
  @Inject JsonWebToken token;

  @GET
  @Path("certification-request")
  @Produces({PEM, MediaType.TEXT_PLAIN})
  public String certificationRequest() throws GeneralSecurityException {
    byte[] der = ca.certificationRequest();
    return "-----BEGIN CERTIFICATE REQUEST-----\n"
        + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END CERTIFICATE REQUEST-----\n";
  }

  @PUT
  @Path("certificate")
  @Consumes({PEM, MediaType.TEXT_PLAIN})
  @Produces(MediaType.APPLICATION_JSON)
  public CaCertificateChainResponse importCertificate(String pem)
      throws InvalidCaCertificateException, GeneralSecurityException {
    List<X509Certificate> chain =
        ca.importCertificateChain(
            CaCertificateChains.parsePem(pem), token.getName() + " (" + token.getSubject() + ")");
    var fingerprints = new ArrayList<String>();
    for (X509Certificate certificate : chain) {
      fingerprints.add(Fingerprint.sha384Hex(certificate.getEncoded()));
    }
    return new CaCertificateChainResponse(Pem.chain(chain), fingerprints);
  }
}
