package io.redoubt.protocol.api;

/**
 * {@code POST /api/v1/devices}: a device asks to be enrolled.
 *
 * @param deviceId a random UUID the device chose (see protocol/README.md)
 * @param name how the person calls the device ("work laptop"), shown in device lists
 * @param certificationRequest base64url DER PKCS#10 for the device's P-384 identity key, signed by
 *     it
 */
public record EnrollmentRequest(String deviceId, String name, String certificationRequest) {}
