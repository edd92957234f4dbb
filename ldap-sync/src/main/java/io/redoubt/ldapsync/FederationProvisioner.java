package io.redoubt.ldapsync;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Makes Keycloak's LDAP federation and its mappers what the settings say, through the admin API,
 * idempotently: a second run with the same settings changes nothing, a changed setting updates the
 * existing component (same id) instead of adding one, mappers are matched by name, and mappers the
 * settings do not name are deleted (the settings are the whole truth).
 */
public final class FederationProvisioner {

  /** What a run did; {@link #changes()} is empty when Keycloak already matched the settings. */
  public record Outcome(String componentId, boolean created, List<String> changes) {
    public boolean changedAnything() {
      return created || !changes.isEmpty();
    }
  }

  private static final ObjectMapper JSON = new ObjectMapper();

  private final KeycloakAdminApi api;

  public FederationProvisioner(KeycloakAdminApi api) {
    this.api = api;
  }

  /**
   * Applies the settings.
   *
   * @param bindCredential the value to send as the bind credential (the secret, or a vault
   *     expression); sent only when the component is created or updated, or when the stored one no
   *     longer binds
   */
  public Outcome apply(DirectorySettings settings, String bindCredential)
      throws IOException, InterruptedException {
    String realmId = api.realmRepresentation().path("id").asText();
    if (realmId.isEmpty()) {
      throw new IOException("realm " + settings.realm() + " has no id in Keycloak's answer");
    }
    ComponentSpec wanted = FederationModel.federation(settings);
    List<String> changes = new ArrayList<>();
    List<JsonNode> existing =
        named(
            api.get(
                    "components?parent="
                        + KeycloakAdminApi.enc(realmId)
                        + "&type="
                        + KeycloakAdminApi.enc(ComponentSpec.USER_STORAGE))
                .orElseThrow(),
            wanted.name());
    if (existing.size() > 1) {
      throw new IOException(
          existing.size()
              + " user-storage components are named '"
              + wanted.name()
              + "': remove the extra ones in Keycloak first");
    }
    String id;
    boolean created = false;
    if (existing.isEmpty()) {
      // parentId must be the realm's internal id: with its name Keycloak answers 201 but every
      // sync fails (ENVIRONMENT.md).
      ObjectNode body = representation(wanted, realmId, null, Map.of());
      ((ObjectNode) body.get("config"))
          .set(FederationModel.BIND_CREDENTIAL, JSON.createArrayNode().add(bindCredential));
      id =
          api.post("components", body)
              .orElseThrow(() -> new IOException("Keycloak did not say the new component's id"));
      created = true;
    } else {
      JsonNode current = existing.get(0);
      id = current.path("id").asText();
      if (!current.path("providerId").asText().equals(wanted.providerId())) {
        throw new IOException(
            "component '" + wanted.name() + "' is not an LDAP federation: not changing it");
      }
      List<String> differences = differences(wanted.config(), current.path("config"));
      if (!differences.isEmpty()) {
        ObjectNode body = representation(wanted, realmId, id, config(current.path("config")));
        ((ObjectNode) body.get("config"))
            .set(FederationModel.BIND_CREDENTIAL, JSON.createArrayNode().add(bindCredential));
        api.put("components/" + KeycloakAdminApi.enc(id), body);
        changes.add("federation '" + wanted.name() + "': " + String.join(", ", differences));
      } else if (!storedCredentialBinds(id, wanted)) {
        ObjectNode body = representation(wanted, realmId, id, config(current.path("config")));
        ((ObjectNode) body.get("config"))
            .set(FederationModel.BIND_CREDENTIAL, JSON.createArrayNode().add(bindCredential));
        api.put("components/" + KeycloakAdminApi.enc(id), body);
        changes.add("federation '" + wanted.name() + "': bind credential replaced");
      }
    }
    changes.addAll(applyMappers(id, FederationModel.mappers(settings)));
    return new Outcome(id, created, List.copyOf(changes));
  }

  /** Asks Keycloak to sync now ({@code full} or changed users only); returns its answer. */
  public JsonNode sync(String componentId, boolean full) throws IOException, InterruptedException {
    return api.postEmpty(
            "user-storage/"
                + KeycloakAdminApi.enc(componentId)
                + "/sync?action="
                + (full ? "triggerFullSync" : "triggerChangedUsersSync"))
        .orElse(JSON.createObjectNode());
  }

  private boolean storedCredentialBinds(String id, ComponentSpec wanted)
      throws IOException, InterruptedException {
    ObjectNode test = JSON.createObjectNode();
    test.put("action", "testAuthentication");
    test.put("componentId", id);
    test.put("connectionUrl", first(wanted, "connectionUrl"));
    test.put("authType", "simple");
    test.put("bindDn", first(wanted, "bindDn"));
    // The mask means "the credential stored in component id".
    test.put("bindCredential", FederationModel.MASK);
    test.put("useTruststoreSpi", first(wanted, "useTruststoreSpi"));
    test.put("startTls", first(wanted, "startTls"));
    test.put("connectionTimeout", first(wanted, "connectionTimeout"));
    return api.postStatus("testLDAPConnection", test) / 100 == 2;
  }

  private List<String> applyMappers(String parentId, List<ComponentSpec> wanted)
      throws IOException, InterruptedException {
    List<String> changes = new ArrayList<>();
    JsonNode current =
        api.get(
                "components?parent="
                    + KeycloakAdminApi.enc(parentId)
                    + "&type="
                    + KeycloakAdminApi.enc(ComponentSpec.LDAP_MAPPER))
            .orElseThrow();
    Map<String, JsonNode> byName = new LinkedHashMap<>();
    for (JsonNode mapper : current) {
      String name = mapper.path("name").asText();
      if (byName.putIfAbsent(name, mapper) != null) {
        // A duplicate name: keep the first, the rest go.
        api.delete("components/" + KeycloakAdminApi.enc(mapper.path("id").asText()));
        changes.add("mapper '" + name + "': duplicate deleted");
      }
    }
    for (ComponentSpec spec : wanted) {
      JsonNode mapper = byName.remove(spec.name());
      if (mapper != null && !mapper.path("providerId").asText().equals(spec.providerId())) {
        api.delete("components/" + KeycloakAdminApi.enc(mapper.path("id").asText()));
        mapper = null;
      }
      if (mapper == null) {
        api.post("components", representation(spec, parentId, null, Map.of()));
        changes.add("mapper '" + spec.name() + "': created");
        continue;
      }
      List<String> differences = differences(spec.config(), mapper.path("config"));
      if (!differences.isEmpty()) {
        String id = mapper.path("id").asText();
        api.put(
            "components/" + KeycloakAdminApi.enc(id),
            representation(spec, parentId, id, config(mapper.path("config"))));
        changes.add("mapper '" + spec.name() + "': " + String.join(", ", differences));
      }
    }
    for (Map.Entry<String, JsonNode> extra : byName.entrySet()) {
      api.delete("components/" + KeycloakAdminApi.enc(extra.getValue().path("id").asText()));
      changes.add("mapper '" + extra.getKey() + "': deleted (not in the settings)");
    }
    return changes;
  }

  /** The keys whose wanted value differs from Keycloak's; an absent key equals an empty value. */
  static List<String> differences(Map<String, List<String>> wanted, JsonNode actual) {
    List<String> keys = new ArrayList<>();
    for (Map.Entry<String, List<String>> entry : wanted.entrySet()) {
      List<String> have = new ArrayList<>();
      actual.path(entry.getKey()).forEach(v -> have.add(v.asText()));
      List<String> want = entry.getValue();
      boolean bothEmpty = isBlank(have) && isBlank(want);
      if (!bothEmpty && !have.equals(want)) {
        keys.add(entry.getKey());
      }
    }
    return keys;
  }

  private static boolean isBlank(List<String> values) {
    return values.stream().allMatch(String::isEmpty);
  }

  private static Map<String, List<String>> config(JsonNode node) {
    Map<String, List<String>> config = new HashMap<>();
    for (Iterator<Map.Entry<String, JsonNode>> it = node.fields(); it.hasNext(); ) {
      Map.Entry<String, JsonNode> entry = it.next();
      List<String> values = new ArrayList<>();
      entry.getValue().forEach(v -> values.add(v.asText()));
      config.put(entry.getKey(), values);
    }
    return config;
  }

  /** The component as Keycloak takes it: Keycloak's own extra keys kept, ours on top. */
  private static ObjectNode representation(
      ComponentSpec spec, String parentId, String id, Map<String, List<String>> keep) {
    ObjectNode body = JSON.createObjectNode();
    if (id != null) {
      body.put("id", id);
    }
    body.put("name", spec.name());
    body.put("providerId", spec.providerId());
    body.put("providerType", spec.providerType());
    body.put("parentId", parentId);
    Map<String, List<String>> merged = new LinkedHashMap<>(keep);
    // Never send the mask back as if it were a value we chose; callers set the credential.
    merged.remove(FederationModel.BIND_CREDENTIAL);
    merged.putAll(spec.config());
    ObjectNode config = body.putObject("config");
    merged.forEach(
        (key, values) -> {
          ArrayNode array = config.putArray(key);
          values.forEach(array::add);
        });
    return body;
  }

  private static List<JsonNode> named(JsonNode components, String name) {
    List<JsonNode> found = new ArrayList<>();
    components.forEach(
        c -> {
          if (c.path("name").asText().equals(name)) {
            found.add(c);
          }
        });
    return found;
  }

  private static String first(ComponentSpec spec, String key) {
    return spec.config().get(key).get(0);
  }
}
