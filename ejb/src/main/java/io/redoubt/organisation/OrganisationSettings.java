package io.redoubt.organisation;

import jakarta.annotation.PostConstruct;
import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * Settings that describe the organisation, read once through MicroProfile Config ({@code
 * redoubt.organisation}, or the environment variable {@code REDOUBT_ORGANISATION}).
 */
@ApplicationScoped
public class OrganisationSettings {

  /** X.520 caps organizationName at 64 characters; the name appears in every certificate. */
  static final int MAX_NAME_LENGTH = 64;

  @Inject
  @ConfigProperty(name = "redoubt.organisation")
  String name;

  @PostConstruct
  void validate() {
    if (name == null || name.isBlank() || name.length() > MAX_NAME_LENGTH) {
      throw new IllegalStateException(
          "redoubt.organisation (REDOUBT_ORGANISATION) must be 1 to "
              + MAX_NAME_LENGTH
              + " characters");
    }
  }

  /** The organisation's display name, as it appears in certificates (O=). */
  public String name() {
    return name;
  }
}
