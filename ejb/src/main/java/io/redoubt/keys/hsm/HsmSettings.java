package io.redoubt.keys.hsm;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.nio.file.Path;
import org.eclipse.microprofile.config.inject.ConfigProperty;

/**
 * How to reach the HSM. The PIN is a reference resolved by MicroProfile Config (the environment
 * variable {@code REDOUBT_HSM_PIN}, or a credential-store backed source), never a value in the
 * repository or in server configuration files.
 */
@ApplicationScoped
public class HsmSettings {

  @Inject
  @ConfigProperty(name = "redoubt.pkcs11-config")
  String pkcs11Config;

  @Inject
  @ConfigProperty(name = "redoubt.hsm-pin")
  String pin;

  @Inject
  @ConfigProperty(name = "redoubt.ca-alias", defaultValue = "redoubt-device-ca")
  String caAlias;

  @Inject
  @ConfigProperty(
      name = "redoubt.transparency-log-alias",
      defaultValue = "redoubt-transparency-log")
  String transparencyLogAlias;

  @Inject
  @ConfigProperty(name = "redoubt.audit-alias", defaultValue = "redoubt-audit")
  String auditAlias;

  /** The SunPKCS11 configuration file ({@code REDOUBT_PKCS11_CONFIG}). */
  public Path pkcs11Config() {
    return Path.of(pkcs11Config);
  }

  /**
   * A fresh copy of the user PIN for one login; the caller zeroes it. (The config source holds it
   * as a String, which Java cannot zero: the copy is what we can control.)
   */
  public char[] pin() {
    return pin.toCharArray();
  }

  /** The token label of the organisation CA key. */
  public String caAlias() {
    return caAlias;
  }

  /**
   * The token label of the organisation key for {@code purpose}. Each purpose has its own label
   * (and key); the labels are configurable so that several installations can share one HSM.
   */
  public String aliasFor(io.redoubt.keys.KeyPurpose purpose) {
    return switch (purpose) {
      case DEVICE_CA -> caAlias;
      case TRANSPARENCY_LOG -> transparencyLogAlias;
      case AUDIT -> auditAlias;
    };
  }
}
