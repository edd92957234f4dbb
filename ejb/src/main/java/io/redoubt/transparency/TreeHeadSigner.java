package io.redoubt.transparency;

import io.redoubt.keys.Fingerprint;
import io.redoubt.keys.HsmSigner;
import io.redoubt.keys.KeyPurpose;
import io.redoubt.keys.OrganisationKeys;
import io.redoubt.keys.hsm.HsmUnavailableException;
import io.redoubt.protocol.transparency.TreeHead;
import jakarta.ejb.EJB;
import jakarta.ejb.Stateless;
import jakarta.ejb.TransactionAttribute;
import jakarta.ejb.TransactionAttributeType;
import jakarta.persistence.EntityManager;
import jakarta.persistence.PersistenceContext;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

/**
 * Signs the log's newest committed size with the HSM log key when it changed since the last signed
 * head. One HSM signature per batch of appends, not per append: {@link TreeHeadSchedule} paces the
 * calls.
 */
@Stateless
public class TreeHeadSigner {

  @PersistenceContext(unitName = "redoubt")
  private EntityManager em;

  @EJB TransparencyLog log;
  @EJB OrganisationKeys keys;

  private final Clock clock = Clock.systemUTC();

  /**
   * Signs and stores a head for the current size unless the newest stored head already has it. Its
   * own transaction reads only committed appends, so a head is never for a size not committed.
   *
   * @return the newest head: the one signed now, or the stored one when nothing changed
   */
  @TransactionAttribute(TransactionAttributeType.REQUIRES_NEW)
  public SignedTreeHead signNewest()
      throws HsmUnavailableException, GeneralSecurityException, TreeSizeBeyondLogException {
    long size = log.size();
    Optional<SignedTreeHead> newest =
        em.createNamedQuery(SignedTreeHead.NEWEST, SignedTreeHead.class)
            .setMaxResults(1)
            .getResultStream()
            .findFirst();
    if (newest.isPresent() && newest.get().treeHead().treeSize() == size) {
      return newest.get();
    }
    TreeHead head = new TreeHead(size, log.root(size), Instant.now(clock));
    HsmSigner signer = keys.signer(KeyPurpose.TRANSPARENCY_LOG);
    var signed =
        new SignedTreeHead(
            head,
            signer.sign(head.encode()),
            Fingerprint.sha384Hex(signer.certificate().getEncoded()));
    em.persist(signed);
    return signed;
  }
}
