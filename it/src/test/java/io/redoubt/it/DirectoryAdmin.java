package io.redoubt.it;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.List;
import java.util.UUID;

/**
 * The directory admin API ({@code /api/v1/admin/directory}) as ann, the lab's administrator, for
 * the directory suites.
 */
final class DirectoryAdmin {

  private DirectoryAdmin() {}

  static JsonNode get(String path) throws Exception {
    return get(path, Lab.signIn("ann").value());
  }

  /** With a token taken earlier: while slapd is down, nobody can sign in. */
  static JsonNode get(String path, String annToken) throws Exception {
    HttpResponse<String> answer = Http.get(path, annToken);
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Http.JSON.readTree(answer.body());
  }

  static JsonNode post(String path) throws Exception {
    return post(path, Lab.signIn("ann").value());
  }

  /** POSTs; a timer run may be under way (409): waits for it and asks again. */
  static JsonNode post(String path, String annToken) throws Exception {
    HttpResponse<String> answer = postOnce(path, annToken);
    for (int i = 0; i < 40 && answer.statusCode() == 409; i++) {
      Thread.sleep(500);
      answer = postOnce(path, annToken);
    }
    assertThat(answer.statusCode()).as(answer.body()).isEqualTo(200);
    return Http.JSON.readTree(answer.body());
  }

  static HttpResponse<String> postOnce(String path, String annToken) throws Exception {
    return Http.send(
        Http.request(path)
            .header("Authorization", "Bearer " + annToken)
            .POST(HttpRequest.BodyPublishers.noBody()));
  }

  /** A run now (full check or not), after any timer run under way. */
  static JsonNode runNow(boolean full) throws Exception {
    return post("/api/v1/admin/directory/sync-runs?full=" + full);
  }

  /** The user's directory record with devices. */
  static JsonNode user(String username) throws Exception {
    return get("/api/v1/admin/directory/users/" + username);
  }

  static void awaitStatus(String username, String status, Duration within) throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    String seen = null;
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer =
          Http.get("/api/v1/admin/directory/users/" + username, Lab.signIn("ann").value());
      if (answer.statusCode() == 200) {
        seen = Http.JSON.readTree(answer.body()).path("status").asText();
        if (seen.equals(status)) {
          return;
        }
      }
      Thread.sleep(500);
    }
    throw new AssertionError(username + " is " + seen + ", not " + status + ", after " + within);
  }

  static JsonNode deviceIn(JsonNode record, UUID deviceId) {
    for (JsonNode device : record.path("devices")) {
      if (device.path("deviceId").asText().equals(deviceId.toString())) {
        return device;
      }
    }
    throw new AssertionError("device " + deviceId + " not in " + record);
  }

  /**
   * Out of the access group ten at a time (under the hold threshold), then out of slapd: the
   * reconciliation disables and later removes them, and they never count against later tests.
   */
  static void removePeople(List<String> uids) throws Exception {
    for (int i = 0; i < uids.size(); i += 10) {
      List<String> batch = uids.subList(i, Math.min(uids.size(), i + 10));
      LabDirectory.removeMembers("redoubt-users", batch);
      for (String uid : batch) {
        awaitGone(uid);
      }
    }
    for (String uid : uids) {
      LabDirectory.deletePerson(uid);
    }
  }

  private static void awaitGone(String uid) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    while (System.nanoTime() < deadline) {
      HttpResponse<String> answer =
          Http.get("/api/v1/admin/directory/users/" + uid, Lab.signIn("ann").value());
      if (answer.statusCode() == 404
          || !Http.JSON.readTree(answer.body()).path("status").asText().equals("ACTIVE")) {
        return;
      }
      Thread.sleep(500);
    }
    throw new AssertionError(uid + " still ACTIVE 60 s after leaving the access group");
  }
}
