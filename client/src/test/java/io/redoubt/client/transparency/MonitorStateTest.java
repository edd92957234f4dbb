package io.redoubt.client.transparency;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import io.redoubt.client.transparency.MonitorState.KnownDevice;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class MonitorStateTest {

  private static KnownDevice device(String user, String id, String sha, String origin) {
    return new KnownDevice(user, null, id, sha, 7, origin, false);
  }

  @Test
  void addedDevicesReplaceOnlyEntriesForTheSameCertificate() {
    MonitorState state =
        MonitorState.start("alice", null)
            .withDevice(device("alice", "laptop", "c1", MonitorState.ENROLLED))
            .withDevice(device("bob", "phone", "c2", MonitorState.LOOKUP));

    MonitorState next =
        state.withDevices(
            List.of(
                device("bob", "phone", "c2", MonitorState.ACKNOWLEDGED),
                device("bob", "phone", "c3", MonitorState.LOOKUP),
                device("carol", "laptop", "c1", MonitorState.LOOKUP)));

    assertThat(next.devices())
        .extracting(KnownDevice::userId, KnownDevice::deviceId, KnownDevice::origin)
        .containsExactly(
            tuple("alice", "laptop", MonitorState.ENROLLED),
            tuple("bob", "phone", MonitorState.ACKNOWLEDGED),
            tuple("bob", "phone", MonitorState.LOOKUP),
            tuple("carol", "laptop", MonitorState.LOOKUP));
    assertThat(state.devices()).hasSize(2);
  }

  @Test
  void nothingAddedIsTheSameState() {
    MonitorState state =
        MonitorState.start("alice", null)
            .withDevice(device("alice", "laptop", "c1", MonitorState.ENROLLED));
    assertThat(state.withDevices(List.of())).isSameAs(state);
  }

  @Test
  void reliedCertificatesNameEveryKnownDevice() {
    List<KnownDevice> many = new ArrayList<>();
    for (int i = 0; i < 2_000; i++) {
      many.add(device("bob", "d" + i, "c" + i, MonitorState.LOOKUP));
    }
    MonitorState state = MonitorState.start("alice", null).withDevices(many);
    assertThat(state.reliedCertificates())
        .hasSize(2_000)
        .contains(new KnownDevice.Certificate("bob", "d1999", "c1999"))
        .doesNotContain(new KnownDevice.Certificate("bob", "d1999", "c1998"));
  }
}
