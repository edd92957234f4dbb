package io.redoubt.protocol.api;

import java.util.List;

/**
 * {@code POST /api/v1/devices}: a device asks to be enrolled, and publishes its first prekeys with
 * the same request so that it can be messaged as soon as it is enrolled.
 *
 * @param deviceId a random UUID the device chose (see protocol/README.md)
 * @param name how the person calls the device ("work laptop"), shown in device lists
 * @param certificationRequest base64url DER PKCS#10 for the device's P-384 identity key, signed by
 *     it
 * @param signedPrekey the device's current signed prekey, signed by the identity key in the CSR
 * @param oneTimePrekeys at most 100 one-time prekeys, each signed by the same key; may be empty
 */
public record EnrollmentRequest(
    String deviceId,
    String name,
    String certificationRequest,
    PublishedPrekey signedPrekey,
    List<PublishedPrekey> oneTimePrekeys) {}
