package io.redoubt.ldapsync;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * Where a secret lives, never the secret itself: settings files and configuration hold references
 * only, so that they can be kept in git, reviewed and printed.
 *
 * <ul>
 *   <li>{@code env:NAME}: the environment variable {@code NAME} of the process that reads it;
 *   <li>{@code file:/absolute/path}: the whole content of that file, one trailing newline removed;
 *   <li>{@code vault:NAME}: a secret in Keycloak's own vault; passed to Keycloak as {@code
 *       ${vault.NAME}} and never read by Redoubt at all.
 * </ul>
 *
 * {@link #toString()} shows the reference, so a logged settings object never leaks a secret.
 */
public final class SecretReference {

  /** The kinds of place a secret may live. */
  public enum Kind {
    ENV,
    FILE,
    VAULT
  }

  private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]{0,127}");

  private final Kind kind;
  private final String target;

  private SecretReference(Kind kind, String target) {
    this.kind = kind;
    this.target = target;
  }

  /**
   * Parses a reference.
   *
   * @throws IllegalArgumentException if the text is not {@code env:}, {@code file:} or {@code
   *     vault:} followed by a valid name or absolute path; the message never repeats the text,
   *     which may be a secret pasted by mistake
   */
  public static SecretReference parse(String text) {
    if (text == null) {
      throw new IllegalArgumentException("a secret reference is required (env:, file: or vault:)");
    }
    String value = text.strip();
    int colon = value.indexOf(':');
    String scheme = colon < 0 ? "" : value.substring(0, colon);
    String rest = colon < 0 ? "" : value.substring(colon + 1);
    switch (scheme) {
      case "env", "vault" -> {
        if (!NAME.matcher(rest).matches()) {
          throw new IllegalArgumentException(
              "a " + scheme + ": reference needs a name of letters, digits, '_', '.', '-'");
        }
        return new SecretReference(scheme.equals("env") ? Kind.ENV : Kind.VAULT, rest);
      }
      case "file" -> {
        if (rest.isEmpty() || !Path.of(rest).isAbsolute()) {
          throw new IllegalArgumentException("a file: reference needs an absolute path");
        }
        return new SecretReference(Kind.FILE, rest);
      }
      default ->
          // Deliberately not echoed: a clear-text secret here must not end up in a log.
          throw new IllegalArgumentException(
              "not a secret reference: use env:NAME, file:/path or vault:NAME, never the secret");
    }
  }

  public Kind kind() {
    return kind;
  }

  /**
   * The value to hand to Keycloak: the secret itself for {@code env:} and {@code file:}, the vault
   * expression for {@code vault:} (Keycloak resolves it; the secret never passes through Redoubt).
   */
  public String forKeycloak(Map<String, String> environment) {
    return kind == Kind.VAULT ? "${vault." + target + "}" : resolve(environment);
  }

  /**
   * The secret.
   *
   * @throws IllegalStateException if it cannot be read, or for a {@code vault:} reference, which
   *     only Keycloak can read
   */
  public String resolve(Map<String, String> environment) {
    switch (kind) {
      case ENV -> {
        String value = environment.get(target);
        if (value == null || value.isEmpty()) {
          throw new IllegalStateException("environment variable " + target + " is not set");
        }
        return value;
      }
      case FILE -> {
        try {
          String value = Files.readString(Path.of(target), StandardCharsets.UTF_8);
          value = value.endsWith("\n") ? value.substring(0, value.length() - 1) : value;
          value = value.endsWith("\r") ? value.substring(0, value.length() - 1) : value;
          if (value.isEmpty()) {
            throw new IllegalStateException("secret file " + target + " is empty");
          }
          return value;
        } catch (IOException e) {
          throw new UncheckedIOException("secret file " + target + " is not readable", e);
        }
      }
      default -> throw new IllegalStateException("vault:" + target + " is for Keycloak to resolve");
    }
  }

  @Override
  public String toString() {
    return kind.name().toLowerCase(java.util.Locale.ROOT) + ":" + target;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof SecretReference other && other.kind == kind && other.target.equals(target);
  }

  @Override
  public int hashCode() {
    return Objects.hash(kind, target);
  }
}
