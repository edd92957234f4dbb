package io.redoubt.keys;

import io.redoubt.keys.hsm.HsmUnavailableException;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.operator.ContentSigner;
import org.bouncycastle.operator.DefaultSignatureAlgorithmIdentifierFinder;
import org.bouncycastle.operator.RuntimeOperatorException;

/** Lets Bouncy Castle's certificate builders sign with an organisation key through its port. */
public final class HsmContentSigner implements ContentSigner {

  private static final AlgorithmIdentifier SHA384_WITH_ECDSA =
      new DefaultSignatureAlgorithmIdentifierFinder().find("SHA384withECDSA");

  private final HsmSigner signer;
  private final ByteArrayOutputStream content = new ByteArrayOutputStream();

  public HsmContentSigner(HsmSigner signer) {
    this.signer = signer;
  }

  @Override
  public AlgorithmIdentifier getAlgorithmIdentifier() {
    return SHA384_WITH_ECDSA;
  }

  @Override
  public OutputStream getOutputStream() {
    return content;
  }

  @Override
  public byte[] getSignature() {
    try {
      return signer.sign(content.toByteArray());
    } catch (HsmUnavailableException e) {
      throw new RuntimeOperatorException("the HSM cannot sign: " + e.getMessage(), e);
    }
  }
}
