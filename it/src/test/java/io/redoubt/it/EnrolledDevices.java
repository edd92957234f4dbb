package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.redoubt.client.AccessToken;
import io.redoubt.client.device.DeviceKeyStore;
import java.io.ByteArrayInputStream;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.List;
import java.util.UUID;

/**
 * Enrolls and revokes devices through the API for suites whose subject is something else (the CA,
 * the revocation list), with the request bodies of {@link Enrollments}.
 */
final class EnrolledDevices {

  private EnrolledDevices() {}

  /** An enrolled device: its id, the certificate chain the server answered with, its keys. */
  record Enrolled(UUID deviceId, List<X509Certificate> chain, DeviceKeyStore keys) {
    X509Certificate certificate() {
      return chain.get(0);
    }
  }

  /** Revokes every active device of the token's user, so that the device limit never interferes. */
  static void revokeAllActive(AccessToken token) throws Exception {
    HttpResponse<String> list = send(token, Http.request("/api/v1/devices").GET());
    assertThat(list.statusCode()).as(list.body()).isEqualTo(200);
    for (JsonNode device : Http.JSON.readTree(list.body())) {
      if ("ACTIVE".equals(device.path("status").asText())) {
        revoke(token, UUID.fromString(device.path("deviceId").asText()));
      }
    }
  }

  static Enrolled enroll(AccessToken token, String name) throws Exception {
    DeviceKeyStore keys = Enrollments.newDeviceKeys(name);
    UUID deviceId = UUID.randomUUID();
    ObjectNode body = Enrollments.body(deviceId, name, Enrollments.csr(keys), keys, 1);
    HttpResponse<String> response =
        send(
            token,
            Http.request("/api/v1/devices")
                .header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString(Http.JSON.writeValueAsString(body))));
    assertThat(response.statusCode()).as(response.body()).isEqualTo(201);
    return new Enrolled(
        deviceId,
        certificates(
            Http.JSON.readTree(response.body()).path("device").path("certificatePem").asText()),
        keys);
  }

  static void revoke(AccessToken token, UUID deviceId) throws Exception {
    HttpResponse<String> response =
        send(token, Http.request("/api/v1/devices/" + deviceId).DELETE());
    assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
  }

  static List<X509Certificate> certificates(String pem) throws Exception {
    return CertificateFactory.getInstance("X.509", "BCFIPS")
        .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))
        .stream()
        .map(X509Certificate.class::cast)
        .toList();
  }

  private static HttpResponse<String> send(AccessToken token, HttpRequest.Builder request)
      throws Exception {
    return Http.send(request.header("Authorization", token.authorization()));
  }
}
