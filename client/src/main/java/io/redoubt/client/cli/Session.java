package io.redoubt.client.cli;

import io.redoubt.client.AccessToken;
import io.redoubt.client.OidcSignIn;
import io.redoubt.client.OrganisationPins;
import io.redoubt.client.RedoubtApiException;
import io.redoubt.client.RedoubtClient;
import io.redoubt.client.Tokens;
import io.redoubt.client.TrustAnchors;
import io.redoubt.client.directory.DeviceVerifier;
import io.redoubt.client.transparency.LogMonitor;
import io.redoubt.client.transparency.MonitorState;
import java.io.IOException;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import javax.net.ssl.SSLContext;

/** A signed-in profile: the API client and a fresh access token, refreshed when needed. */
final class Session {

  /** Refresh this long before expiry, so a token does not lapse between check and use. */
  private static final Duration EARLY = Duration.ofSeconds(30);

  private final Profile profile;
  private final Profile.Settings settings;
  private final SSLContext tls;

  private Session(Profile profile, Profile.Settings settings, SSLContext tls) {
    this.profile = profile;
    this.settings = settings;
    this.tls = tls;
  }

  static Session open(Profile profile)
      throws IOException, GeneralSecurityException, RedoubtCommand.UserFacingException {
    Profile.Settings settings =
        profile
            .settings()
            .orElseThrow(
                () ->
                    new RedoubtCommand.UserFacingException(
                        "not signed in on profile '"
                            + profile.directory().getFileName()
                            + "': run redoubt login --server URL"));
    return new Session(profile, settings, tls(settings));
  }

  static SSLContext tls(Profile.Settings settings) throws IOException, GeneralSecurityException {
    return settings.caFile() == null
        ? SSLContext.getDefault()
        : TrustAnchors.fromPem(settings.caFile());
  }

  Profile.Settings settings() {
    return settings;
  }

  RedoubtClient client() {
    return new RedoubtClient(settings.server(), tls);
  }

  /** Attachment upload and download against this server. */
  io.redoubt.client.messaging.Attachments attachments() {
    return new io.redoubt.client.messaging.Attachments(settings.server(), tls);
  }

  /** The TLS context for this server (its pinned CA file, or the JDK's trust store). */
  SSLContext tls() {
    return tls;
  }

  OidcSignIn signIn() {
    return new OidcSignIn(settings.issuer(), settings.clientId(), tls);
  }

  /** The organisation certificates this profile pinned at sign-in. */
  OrganisationPins pins() throws IOException, RedoubtCommand.UserFacingException {
    return profile.pins().orElseThrow(Session::signInAgain);
  }

  /** This profile's view of the transparency log. */
  MonitorState transparency() throws IOException, RedoubtCommand.UserFacingException {
    return profile.transparency().orElseThrow(Session::signInAgain);
  }

  /** The transparency monitor over this server's log, for the current token. */
  LogMonitor monitor(AccessToken token)
      throws GeneralSecurityException, IOException, RedoubtCommand.UserFacingException {
    return new LogMonitor(client().transparency(token), pins().logKey());
  }

  /** The device verifier against the pinned CA and this server's log. */
  DeviceVerifier deviceVerifier(AccessToken token)
      throws IOException, RedoubtCommand.UserFacingException {
    return new DeviceVerifier(pins(), client().transparency(token), Clock.systemUTC());
  }

  Profile profile() {
    return profile;
  }

  private static RedoubtCommand.UserFacingException signInAgain() {
    return new RedoubtCommand.UserFacingException(
        "this profile has no pinned organisation keys or transparency state (it predates them):"
            + " sign in again with redoubt login");
  }

  /** A usable access token: the stored one, or a refreshed one. */
  AccessToken accessToken()
      throws IOException,
          InterruptedException,
          RedoubtApiException,
          RedoubtCommand.UserFacingException {
    Tokens tokens =
        profile
            .tokens()
            .orElseThrow(
                () ->
                    new RedoubtCommand.UserFacingException(
                        "signed out: run redoubt login --server " + settings.server()));
    Instant now = Instant.now();
    if (tokens.access().expiresAt().isAfter(now.plus(EARLY))) {
      return tokens.access();
    }
    if (!tokens.canRefresh(now)) {
      throw new RedoubtCommand.UserFacingException(
          "the session expired: run redoubt login --server " + settings.server());
    }
    Tokens renewed = signIn().refresh(tokens.refreshToken());
    profile.save(renewed);
    return renewed.access();
  }
}
