package io.redoubt.devices;

import io.redoubt.directory.UserOffboarded;
import jakarta.ejb.EJB;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;
import java.util.UUID;
import java.util.logging.Logger;

/**
 * Offboarding, devices: when a user loses access, every active device is revoked, each revocation
 * appended to the transparency log, in the transaction that changed the user's status. Devices stay
 * revoked if the user comes back; they enroll new ones.
 */
@ApplicationScoped
public class OffboardingDeviceRevoker {

  private static final Logger LOG = Logger.getLogger(OffboardingDeviceRevoker.class.getName());

  /** Who the revocations are attributed to. */
  static final String ACTOR = "directory-sync";

  @EJB DeviceRegistry registry;

  void revokeAll(@Observes UserOffboarded event) throws UnknownDeviceException {
    int revoked = 0;
    for (Device device : registry.activeDevicesOf(event.userId())) {
      registry.revoke(UUID.fromString(device.deviceId()), ACTOR, true);
      revoked++;
    }
    if (revoked > 0) {
      int count = revoked;
      LOG.info(
          () ->
              "user "
                  + event.userId()
                  + " is "
                  + event.status()
                  + ": "
                  + count
                  + " device(s) revoked and logged");
    }
  }
}
