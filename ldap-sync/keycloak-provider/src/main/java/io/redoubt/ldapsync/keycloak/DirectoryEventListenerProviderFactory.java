package io.redoubt.ldapsync.keycloak;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.util.logging.Logger;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.keycloak.Config;
import org.keycloak.events.EventListenerProvider;
import org.keycloak.events.EventListenerProviderFactory;
import org.keycloak.models.AbstractKeycloakTransaction;
import org.keycloak.models.GroupModel;
import org.keycloak.models.KeycloakSession;
import org.keycloak.models.KeycloakSessionFactory;
import org.keycloak.models.UserModel;
import org.keycloak.provider.ProviderEvent;

/**
 * The {@code redoubt-directory-events} event listener. Configured from Keycloak's SPI options in
 * {@link #init}; in {@link #postInit} it starts the delivery thread and registers for the model
 * events that do not come as admin events: users removed (also by the LDAP provider, when it finds
 * an imported user gone from the directory) and members joining or leaving groups stored in
 * Keycloak. Enabled per realm through the realm's event listeners.
 *
 * <p>Without a {@code redoubt-url} option the listener stays installed but sends nothing (logged
 * once), so that the jar can sit in providers/ before Redoubt is configured; any other missing or
 * wrong option stops Keycloak's start, so a typo is not silently a dead channel.
 */
public class DirectoryEventListenerProviderFactory implements EventListenerProviderFactory {

  /** The provider id: the name in the realm's event listeners and in the SPI options. */
  public static final String ID = "redoubt-directory-events";

  private static final Logger LOG =
      Logger.getLogger(DirectoryEventListenerProviderFactory.class.getName());

  private PushSettings settings;
  private HintSender sender;

  @Override
  public void init(Config.Scope config) {
    if (config.get("redoubt-url") == null) {
      LOG.warning(
          ID
              + ": no redoubt-url option; installed but sends nothing (see Redoubt's directory guide)");
      return;
    }
    settings = PushSettings.read(config::get);
    String secret = resolveSecret(settings.secretReference());
    SSLContext tls;
    try {
      tls =
          settings.caFile().isPresent()
              ? trusting(settings.caFile().get())
              : SSLContext.getDefault();
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalStateException(ID + ": cannot read ca-file " + settings.caFile().get(), e);
    }
    sender = new HintSender(settings, secret, tls);
    LOG.info(
        () ->
            ID
                + ": hints for realm(s) "
                + settings.realms()
                + " go to "
                + settings.eventsUri()
                + " as client "
                + settings.clientId());
  }

  @Override
  public void postInit(KeycloakSessionFactory factory) {
    if (sender == null) {
      return;
    }
    sender.start();
    factory.register(this::onModelEvent);
  }

  @Override
  public EventListenerProvider create(KeycloakSession session) {
    return new DirectoryEventListenerProvider(session, this);
  }

  @Override
  public void close() {
    if (sender != null) {
      sender.close();
    }
  }

  @Override
  public String getId() {
    return ID;
  }

  /** The delivery queue, or null when the listener is not configured. */
  HintSender sender() {
    return sender;
  }

  /**
   * Queues a hint once {@code session}'s transaction commits (nothing on rollback). Without a
   * session or an active transaction it is queued at once: a hint for a change that then rolls back
   * only makes Redoubt re-read a user that did not change.
   */
  void hintAfterCommit(
      KeycloakSession session, String realm, String userId, DirectoryHint.Kind kind) {
    if (sender == null || realm == null || userId == null || !settings.realms().contains(realm)) {
      return;
    }
    DirectoryHint hint = new DirectoryHint(realm, userId, kind);
    if (session == null || !session.getTransactionManager().isActive()) {
      sender.offer(hint);
      return;
    }
    session
        .getTransactionManager()
        .enlistAfterCompletion(
            new AbstractKeycloakTransaction() {
              @Override
              protected void commitImpl() {
                sender.offer(hint);
              }

              @Override
              protected void rollbackImpl() {
                // Nothing changed: nothing to tell.
              }
            });
  }

  private void onModelEvent(ProviderEvent event) {
    if (event instanceof UserModel.UserRemovedEvent removed) {
      hintAfterCommit(
          removed.getKeycloakSession(),
          removed.getRealm().getName(),
          removed.getUser().getId(),
          DirectoryHint.Kind.USER_REMOVED);
    } else if (event instanceof GroupModel.GroupMemberLeaveEvent left) {
      hintAfterCommit(
          left.getKeycloakSession(),
          left.getRealm().getName(),
          left.getUser().getId(),
          DirectoryHint.Kind.GROUP_LEFT);
    } else if (event instanceof GroupModel.GroupMemberJoinEvent joined) {
      hintAfterCommit(
          joined.getKeycloakSession(),
          joined.getRealm().getName(),
          joined.getUser().getId(),
          DirectoryHint.Kind.GROUP_JOINED);
    }
  }

  /** {@code env:NAME} or {@code file:/path}; the value is never logged. */
  static String resolveSecret(String reference) {
    String value;
    if (reference.startsWith("env:")) {
      value = System.getenv(reference.substring(4));
    } else {
      try {
        value = Files.readString(Path.of(reference.substring(5)), StandardCharsets.UTF_8);
      } catch (IOException e) {
        throw new IllegalStateException(ID + ": cannot read the client secret file", e);
      }
    }
    if (value == null || value.strip().isEmpty()) {
      throw new IllegalStateException(
          ID + ": the client secret " + reference + " is empty or unset");
    }
    return value.strip();
  }

  /** An SSL context that trusts exactly the certificates in a PEM file. */
  static SSLContext trusting(Path pem) throws IOException, GeneralSecurityException {
    // The JVM's default type: BCFKS when Keycloak runs in FIPS mode, where PKCS12/JKS are not
    // there.
    KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
    store.load(null, null);
    try (InputStream in = Files.newInputStream(pem)) {
      int i = 0;
      for (Certificate certificate :
          CertificateFactory.getInstance("X.509").generateCertificates(in)) {
        store.setCertificateEntry("ca-" + i++, certificate);
      }
    }
    TrustManagerFactory trust =
        TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
    trust.init(store);
    SSLContext context = SSLContext.getInstance("TLS");
    context.init(null, trust.getTrustManagers(), null);
    return context;
  }
}
