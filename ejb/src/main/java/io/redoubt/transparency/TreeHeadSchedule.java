package io.redoubt.transparency;

import jakarta.ejb.ConcurrencyManagement;
import jakarta.ejb.ConcurrencyManagementType;
import jakarta.ejb.DependsOn;
import jakarta.ejb.EJB;
import jakarta.ejb.Schedule;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Every second, asks {@link TreeHeadSigner} to sign the newest size if it changed. Non-persistent:
 * a missed tick is simply the next one's work. Only delegates.
 */
@Singleton
@Startup
@DependsOn("OrganisationKeys")
@ConcurrencyManagement(ConcurrencyManagementType.BEAN)
public class TreeHeadSchedule {

  private static final Logger LOG = Logger.getLogger(TreeHeadSchedule.class.getName());

  @EJB TreeHeadSigner signer;

  @Schedule(hour = "*", minute = "*", second = "*", persistent = false)
  void signNewest() {
    try {
      signer.signNewest();
    } catch (Exception e) {
      // The next tick retries; an HSM outage shows on the readiness check as well.
      LOG.log(Level.WARNING, "could not sign the transparency log's tree head", e);
    }
  }
}
