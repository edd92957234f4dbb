package io.redoubt.prekeys;

import io.redoubt.devices.Device;
import io.redoubt.devices.DeviceRegistry;
import io.redoubt.devices.UnknownDeviceException;
import io.redoubt.persistence.Chunks;
import io.redoubt.protocol.prekeys.InvalidPrekeyException;
import io.redoubt.protocol.prekeys.SignedPrekey;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.inject.Inject;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import jakarta.persistence.Query;
import jakarta.validation.constraints.NotBlank;
import jakarta.validation.constraints.NotNull;
import java.security.interfaces.ECPublicKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/** Stores, counts and hands out prekeys. Every check happens before the first write. */
@Stateless
public class PrekeyStore {

  /**
   * Picks the oldest usable one-time prekey and locks it; rows other claimers hold are skipped
   * instead of waited for, so concurrent claims proceed in parallel and never share a key.
   */
  private static final String CLAIM_ONE =
      "SELECT * FROM one_time_prekey WHERE device_id = ?1 AND expires_at > ?2"
          + " ORDER BY prekey_id LIMIT 1 FOR UPDATE SKIP LOCKED";

  /** Devices per statement of {@link #claimAll}. */
  static final int CLAIM_CHUNK = 500;

  /** The high-water mark of a device that has published nothing. */
  private static final long NONE_YET = -1;

  @PersistenceContext(unitName = "redoubt")
  EntityManager em;

  @EJB DeviceRegistry devices;
  @Inject PrekeySettings settings;

  private final Clock clock = Clock.systemUTC();

  /**
   * Checks an enrolling device's first prekeys against the key its CSR proved. Called before the
   * HSM signs anything, so a bad prekey costs no signature.
   *
   * @throws InvalidPrekeyException naming the first prekey that failed a check
   */
  public void checkFirst(
      @NotNull UUID deviceId,
      @NotNull ECPublicKey identityKey,
      @NotNull SignedPrekey signedPrekey,
      @NotNull List<SignedPrekey> oneTimePrekeys)
      throws InvalidPrekeyException, PrekeyStockFullException {
    Instant now = clock.instant();
    String device = deviceId.toString();
    checkBatch(device, NONE_YET, identityKey, oneTimePrekeys, now, 0);
    check(device, NONE_YET, identityKey, signedPrekey, now, settings.signedMaxLifetime());
    if (oneTimePrekeys.stream().anyMatch(p -> p.prekeyId() == signedPrekey.prekeyId())) {
      throw new InvalidPrekeyException(
          "prekey id " + signedPrekey.prekeyId() + " is used twice in the request");
    }
  }

  /**
   * Stores the first prekeys, which {@link #checkFirst} passed, in the enrollment's transaction,
   * after the device row.
   */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void storeFirst(
      @NotNull Device device,
      @NotNull SignedPrekey signedPrekey,
      @NotNull List<SignedPrekey> oneTimePrekeys) {
    em.persist(new CurrentSignedPrekey(signedPrekey, clock.instant()));
    store(device, oneTimePrekeys);
    device.raisePrekeyHighWater(signedPrekey.prekeyId());
  }

  /**
   * Adds one-time prekeys to the caller's own active device.
   *
   * @throws UnknownDeviceException unless the device is the caller's and active
   * @throws InvalidPrekeyException naming the first prekey that failed a check (nothing stored)
   * @throws PrekeyStockFullException when the stock would exceed the limit (nothing stored)
   */
  public PrekeyStatus upload(
      @NotNull UUID deviceId, @NotBlank String callerId, @NotNull List<SignedPrekey> prekeys)
      throws UnknownDeviceException, InvalidPrekeyException, PrekeyStockFullException {
    Device device = devices.ownActiveDeviceForUpdate(deviceId, callerId);
    Instant now = clock.instant();
    em.createNamedQuery(OneTimePrekey.DELETE_EXPIRED)
        .setParameter("deviceId", device.deviceId())
        .setParameter("now", now)
        .executeUpdate();
    checkBatch(
        device.deviceId(),
        device.prekeyHighWater(),
        device.identityKey(),
        prekeys,
        now,
        usableCount(device.deviceId(), now));
    store(device, prekeys);
    return status(device, now);
  }

  /**
   * Replaces the caller's device's signed prekey. The device keeps the old private key until
   * messages sealed to it could have arrived; the server serves only the new one.
   */
  public PrekeyStatus rotateSigned(
      @NotNull UUID deviceId, @NotBlank String callerId, @NotNull SignedPrekey prekey)
      throws UnknownDeviceException, InvalidPrekeyException {
    Device device = devices.ownActiveDeviceForUpdate(deviceId, callerId);
    Instant now = clock.instant();
    check(
        device.deviceId(),
        device.prekeyHighWater(),
        device.identityKey(),
        prekey,
        now,
        settings.signedMaxLifetime());
    CurrentSignedPrekey current = em.find(CurrentSignedPrekey.class, device.deviceId());
    if (current == null) {
      em.persist(new CurrentSignedPrekey(prekey, now));
    } else {
      current.replaceWith(prekey, now);
    }
    device.raisePrekeyHighWater(prekey.prekeyId());
    return status(device, now);
  }

  /** The stock of the caller's own active device. */
  public PrekeyStatus status(@NotNull UUID deviceId, @NotBlank String callerId)
      throws UnknownDeviceException {
    Device device = devices.ownActiveDeviceForUpdate(deviceId, callerId);
    return status(device, clock.instant());
  }

  /**
   * Claims a prekey of an active device for a sender: a one-time prekey, removed in this
   * transaction, or else the signed prekey while it is unexpired.
   *
   * @return empty when the device has no usable prekey at all (its signed prekey expired)
   */
  public Optional<ClaimedPrekey> claim(@NotNull Device device) {
    Instant now = clock.instant();
    @SuppressWarnings("unchecked")
    List<OneTimePrekey> locked =
        em.createNativeQuery(CLAIM_ONE, OneTimePrekey.class)
            .setParameter(1, device.deviceId())
            .setParameter(2, now)
            .getResultList();
    if (!locked.isEmpty()) {
      OneTimePrekey claimed = locked.get(0);
      em.remove(claimed);
      return Optional.of(new ClaimedPrekey(claimed.toSignedPrekey(), true));
    }
    CurrentSignedPrekey signed = em.find(CurrentSignedPrekey.class, device.deviceId());
    if (signed == null || !signed.expiresAt().isAfter(now)) {
      return Optional.empty();
    }
    return Optional.of(new ClaimedPrekey(signed.toSignedPrekey(), false));
  }

  /**
   * Claims a prekey for each of {@code devices}, as {@link #claim} does one by one, in three
   * statements per {@value #CLAIM_CHUNK} devices rather than two per device: a group's recipient
   * listing claims for every device of every member.
   *
   * <p>The lowest unexpired one-time prekey of each device is read without locks, then exactly
   * those rows are locked ({@code SKIP LOCKED}, so concurrent claimers never wait for each other)
   * and deleted. A row another claimer holds or took meanwhile is not returned by the locking read,
   * and its device is claimed alone by {@link #claim}, which takes the next free one or falls back
   * to the signed prekey. Two claimers therefore never get the same one-time prekey, as before. A
   * device with no one-time prekey left gets its signed prekey, read for all such devices at once.
   *
   * @return the claimed prekey by device id; a device without any usable prekey is absent
   */
  public Map<String, ClaimedPrekey> claimAll(@NotNull List<Device> devices) {
    Instant now = clock.instant();
    Map<String, ClaimedPrekey> claimed = new HashMap<>();
    List<Device> contended = new ArrayList<>();
    List<String> withoutOneTime = new ArrayList<>();
    for (List<Device> chunk : Chunks.of(devices, CLAIM_CHUNK)) {
      Map<String, Long> lowest = lowestOneTime(chunk, now);
      for (OneTimePrekey prekey : lockAndDelete(lowest)) {
        claimed.put(prekey.deviceId(), new ClaimedPrekey(prekey.toSignedPrekey(), true));
      }
      for (Device device : chunk) {
        if (!lowest.containsKey(device.deviceId())) {
          withoutOneTime.add(device.deviceId());
        } else if (!claimed.containsKey(device.deviceId())) {
          contended.add(device);
        }
      }
    }
    // A device with none left gets its signed prekey while it is unexpired (all read at once); one
    // whose lowest key another claimer took is claimed alone, which takes its next free one.
    for (List<String> chunk : Chunks.of(withoutOneTime, CLAIM_CHUNK)) {
      em
          .createQuery(
              "SELECT s FROM CurrentSignedPrekey s WHERE s.deviceId IN :ids",
              CurrentSignedPrekey.class)
          .setParameter("ids", chunk)
          .getResultList()
          .stream()
          .filter(signed -> signed.expiresAt().isAfter(now))
          .forEach(
              signed ->
                  claimed.put(
                      signed.deviceId(), new ClaimedPrekey(signed.toSignedPrekey(), false)));
    }
    for (Device device : contended) {
      claim(device).ifPresent(prekey -> claimed.put(device.deviceId(), prekey));
    }
    return claimed;
  }

  /** The lowest unexpired one-time prekey id of each of {@code devices} that has one. */
  private Map<String, Long> lowestOneTime(List<Device> devices, Instant now) {
    @SuppressWarnings("unchecked")
    List<Object[]> rows =
        em.createNativeQuery(
                "SELECT device_id, MIN(prekey_id) FROM one_time_prekey"
                    + " WHERE device_id IN (:ids) AND expires_at > :now GROUP BY device_id")
            .setParameter("ids", devices.stream().map(Device::deviceId).toList())
            .setParameter("now", now)
            .getResultList();
    Map<String, Long> lowest = new HashMap<>();
    rows.forEach(row -> lowest.put((String) row[0], ((Number) row[1]).longValue()));
    return lowest;
  }

  /** Locks the given one-time prekeys that no other claimer holds, and deletes them. */
  private List<OneTimePrekey> lockAndDelete(Map<String, Long> keys) {
    if (keys.isEmpty()) {
      return List.of();
    }
    List<Object[]> lowest =
        keys.entrySet().stream().map(key -> new Object[] {key.getKey(), key.getValue()}).toList();
    // One primary-key equality per row (ORed, which MariaDB reads as that many index ranges), so
    // that the lock is taken on exactly the rows to claim and no other prekey of these devices.
    @SuppressWarnings("unchecked")
    List<OneTimePrekey> locked =
        bindKeys(
                em.createNativeQuery(
                    "SELECT * FROM one_time_prekey WHERE "
                        + keysEqual(lowest.size())
                        + " FOR UPDATE SKIP LOCKED",
                    OneTimePrekey.class),
                lowest)
            .getResultList();
    if (locked.isEmpty()) {
      return List.of();
    }
    bindKeys(
            em.createNativeQuery("DELETE FROM one_time_prekey WHERE " + keysEqual(locked.size())),
            locked.stream().map(row -> new Object[] {row.deviceId(), row.prekeyId()}).toList())
        .executeUpdate();
    // Deleted behind the persistence context's back: it must not hold them as live entities.
    locked.forEach(em::detach);
    return locked;
  }

  /** {@code n} primary-key equalities, ORed, with JPA's numbered parameters ?1, ?2, … */
  private static String keysEqual(int n) {
    StringBuilder sql = new StringBuilder();
    for (int i = 0; i < n; i++) {
      sql.append(i == 0 ? "" : " OR ")
          .append("(device_id = ?")
          .append(2 * i + 1)
          .append(" AND prekey_id = ?")
          .append(2 * i + 2)
          .append(')');
    }
    return sql.toString();
  }

  private static Query bindKeys(Query query, List<Object[]> keys) {
    int position = 1;
    for (Object[] key : keys) {
      query.setParameter(position++, key[0]);
      query.setParameter(position++, ((Number) key[1]).longValue());
    }
    return query;
  }

  /** Removes every prekey of a device being revoked, so nobody seals to it any more. */
  @TransactionAttribute(TransactionAttributeType.MANDATORY)
  public void discardAll(@NotBlank String deviceId) {
    em.createNamedQuery(OneTimePrekey.DELETE_ALL)
        .setParameter("deviceId", deviceId)
        .executeUpdate();
    CurrentSignedPrekey signed = em.find(CurrentSignedPrekey.class, deviceId);
    if (signed != null) {
      em.remove(signed);
    }
  }

  private void checkBatch(
      String deviceId,
      long highWater,
      ECPublicKey identityKey,
      List<SignedPrekey> batch,
      Instant now,
      long stock)
      throws InvalidPrekeyException, PrekeyStockFullException {
    if (batch.size() > PrekeySettings.MAX_PER_UPLOAD) {
      throw new InvalidPrekeyException(
          "at most " + PrekeySettings.MAX_PER_UPLOAD + " one-time prekeys per request");
    }
    if (stock + batch.size() > settings.maxStock()) {
      throw new PrekeyStockFullException(
          "the device holds "
              + stock
              + " one-time prekeys; "
              + batch.size()
              + " more would exceed the limit of "
              + settings.maxStock());
    }
    Set<Long> seen = new HashSet<>();
    for (SignedPrekey prekey : batch) {
      if (!seen.add(prekey.prekeyId())) {
        throw new InvalidPrekeyException(
            "prekey id " + prekey.prekeyId() + " is used twice in the request");
      }
      check(deviceId, highWater, identityKey, prekey, now, settings.oneTimeMaxLifetime());
    }
  }

  private static void check(
      String deviceId,
      long highWater,
      ECPublicKey identityKey,
      SignedPrekey prekey,
      Instant now,
      Duration lifetime)
      throws InvalidPrekeyException {
    if (!prekey.deviceId().toString().equals(deviceId)) {
      throw new InvalidPrekeyException("prekey " + prekey.prekeyId() + " is for another device");
    }
    if (prekey.prekeyId() <= highWater) {
      throw new InvalidPrekeyException(
          "prekey id "
              + prekey.prekeyId()
              + " was already used; new prekey ids must be above "
              + highWater);
    }
    if (prekey.expiresAt().isAfter(now.plus(lifetime))) {
      throw new InvalidPrekeyException(
          "prekey "
              + prekey.prekeyId()
              + " expires too late; the most allowed is "
              + lifetime.toDays()
              + " days from now");
    }
    prekey.verify(identityKey, now);
  }

  private void store(Device device, List<SignedPrekey> prekeys) {
    for (SignedPrekey prekey : prekeys) {
      em.persist(new OneTimePrekey(prekey));
      device.raisePrekeyHighWater(prekey.prekeyId());
    }
  }

  private long usableCount(String deviceId, Instant now) {
    return em.createNamedQuery(OneTimePrekey.COUNT_USABLE, Long.class)
        .setParameter("deviceId", deviceId)
        .setParameter("now", now)
        .getSingleResult();
  }

  private PrekeyStatus status(Device device, Instant now) {
    em.flush();
    CurrentSignedPrekey signed = em.find(CurrentSignedPrekey.class, device.deviceId());
    return new PrekeyStatus(
        device.deviceId(),
        (int) usableCount(device.deviceId(), now),
        signed == null ? -1 : signed.prekeyId(),
        signed == null ? null : signed.expiresAt());
  }
}
