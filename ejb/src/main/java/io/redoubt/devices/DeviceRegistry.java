package io.redoubt.devices;

import io.redoubt.prekeys.PrekeyStore;
import io.redoubt.transparency.TransparencyLog;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.enterprise.event.Event;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.LockModeType;
import jakarta.persistence.PersistenceContext;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.time.Clock;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/** Lists and revokes devices. Revocation is logged in the transparency log and is final. */
@Stateless
public class DeviceRegistry {

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB TransparencyLog log;
  @EJB PrekeyStore prekeys;
  @Inject Event<DeviceRevoked> revoked;

  private final Clock clock = Clock.systemUTC();

  /** The user's devices, oldest first, revoked ones included. */
  public List<Device> devicesOf(@NotBlank String userId) {
    return em.createNamedQuery(Device.OF_USER, Device.class)
        .setParameter("userId", userId)
        .getResultList();
  }

  /** The user's active devices, oldest first. */
  public List<Device> activeDevicesOf(@NotBlank String userId) {
    return em.createNamedQuery(Device.ACTIVE_OF_USER, Device.class)
        .setParameter("userId", userId)
        .setParameter("status", DeviceStatus.ACTIVE)
        .getResultList();
  }

  /**
   * The active devices of all these users, in one query (a send to a group of 1,000 members must
   * not cost 1,000 round trips), ordered by user and then enrollment.
   */
  public List<Device> activeDevicesOfUsers(@NotNull Collection<String> userIds) {
    if (userIds.isEmpty()) {
      return List.of();
    }
    return em.createQuery(
            "SELECT d FROM Device d WHERE d.userId IN :userIds AND d.status = :status"
                + " ORDER BY d.userId, d.enrolledAt",
            Device.class)
        .setParameter("userIds", userIds)
        .setParameter("status", DeviceStatus.ACTIVE)
        .getResultList();
  }

  /**
   * The caller's own active device, locked for update until the transaction ends.
   *
   * @throws UnknownDeviceException unless the device exists, is the caller's, and is active
   */
  public Device ownActiveDeviceForUpdate(@NotNull UUID deviceId, @NotBlank String callerId)
      throws UnknownDeviceException {
    Device device = em.find(Device.class, deviceId.toString(), LockModeType.PESSIMISTIC_WRITE);
    if (device == null || !device.userId().equals(callerId)) {
      throw new UnknownDeviceException("no device " + deviceId + " of yours");
    }
    if (!device.isActive()) {
      throw new UnknownDeviceException("device " + deviceId + " is revoked");
    }
    return device;
  }

  /** The device with this id, active or revoked, whoever owns it. */
  public Optional<Device> find(@NotNull UUID deviceId) {
    return Optional.ofNullable(em.find(Device.class, deviceId.toString()));
  }

  /**
   * Revokes a device. Its owner may; an administrator may revoke anyone's. To anyone else the
   * device does not exist. Revoking a revoked device changes nothing.
   */
  public Device revoke(@NotNull UUID deviceId, @NotBlank String callerId, boolean callerIsAdmin)
      throws UnknownDeviceException {
    Device device = em.find(Device.class, deviceId.toString(), LockModeType.PESSIMISTIC_WRITE);
    if (device == null || !(callerIsAdmin || device.userId().equals(callerId))) {
      throw new UnknownDeviceException("no device " + deviceId + " of yours");
    }
    if (device.status() == DeviceStatus.ACTIVE) {
      long leaf = log.appendRevoked(device.userId(), device.deviceId(), device.certificateSha384());
      device.revoke(clock.instant(), leaf);
      prekeys.discardAll(device.deviceId());
      revoked.fire(new DeviceRevoked(device.deviceId(), device.userId()));
    }
    return device;
  }
}
