package io.redoubt.web.devices;

import io.redoubt.devices.IssuedRevocationList;
import io.redoubt.devices.RevocationListPublisher;
import jakarta.annotation.security.PermitAll;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.RequestScoped;
import jakarta.ws.rs.GET;
import jakarta.ws.rs.Path;
import jakarta.ws.rs.Produces;
import jakarta.ws.rs.core.CacheControl;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.EntityTag;
import jakarta.ws.rs.core.Request;
import jakarta.ws.rs.core.Response;
import java.security.GeneralSecurityException;
import java.util.Date;

/**
 * {@code GET /api/v1/revocations}: the device CA's X.509 v2 CRL (DER, {@code
 * application/pkix-crl}).
 *
 * <p>Public, like {@code /api/v1/info} and like CRL distribution points everywhere: the list is
 * signed by the CA key, so its integrity does not rest on the connection or on who asks; it names
 * serial numbers and times only, no users or devices; and a client must be able to fetch it before
 * it trusts a peer, even while its own token is being refreshed. Each response carries the CRL
 * number as its entity tag, and caches must revalidate: a cached list would hide a revocation.
 */
@Path("revocations")
@RequestScoped
@PermitAll
public class RevocationListResource {

  /** RFC 5280 section 4.2.1.13 / RFC 2585: a DER CRL. */
  public static final String PKIX_CRL = "application/pkix-crl";

  @EJB RevocationListPublisher publisher;
  @Context Request request;

  @GET
  @Produces(PKIX_CRL)
  public Response current() throws GeneralSecurityException {
    IssuedRevocationList list = publisher.current();
    var tag = new EntityTag(list.number().toString());
    var cache = new CacheControl();
    cache.setNoCache(true);
    Response.ResponseBuilder notModified = request.evaluatePreconditions(tag);
    if (notModified != null) {
      return notModified.cacheControl(cache).build();
    }
    return Response.ok(list.der(), PKIX_CRL)
        .tag(tag)
        .lastModified(Date.from(list.thisUpdate()))
        .expires(Date.from(list.nextUpdate()))
        .cacheControl(cache)
        .build();
  }
}
