package io.redoubt.it;

import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeyMismatchException;
import io.redoubt.keys.OrganisationKeyRegistry;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import java.security.GeneralSecurityException;
import java.security.cert.X509Certificate;

/**
 * Test-only bean, deployed into the EAR by {@link ServerRuntimeIT}: pins two keys in ONE container
 * transaction, so that a mismatch on the second must undo the first.
 */
@Stateless
public class KeyPinningScenario {

  @EJB OrganisationKeyRegistry registry;

  public void pinBoth(
      String firstAlias, X509Certificate first, String secondAlias, X509Certificate second)
      throws OrganisationKeyMismatchException, GeneralSecurityException {
    registry.pin(KeyPurpose.DEVICE_CA, firstAlias, first);
    registry.pin(KeyPurpose.DEVICE_CA, secondAlias, second);
  }
}
