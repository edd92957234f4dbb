package io.redoubt.protocol;

import java.security.AlgorithmParameters;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.interfaces.ECKey;
import java.security.spec.ECGenParameterSpec;
import java.security.spec.ECParameterSpec;

/**
 * The allow-list of elliptic curves for protocol keys: P-384 and nothing else.
 *
 * <p>The FIPS module itself still accepts P-224, secp256k1 and the Brainpool curves in
 * approved-only mode, so the protocol cannot rely on the provider to refuse a weaker curve: every
 * key that enters the protocol (a CSR, a prekey, an HSM key) passes through {@link
 * #requireP384(Key)}. Curves are compared by their domain parameters, not by a name a peer chose,
 * so an explicitly encoded curve that happens to equal P-384 is accepted and a renamed weaker one
 * is not.
 */
public final class ProtocolCurves {

  /** The standard name of the only curve the protocol accepts. */
  public static final String P384 = "secp384r1";

  private static final ECParameterSpec P384_PARAMETERS = parametersOf(P384);

  private ProtocolCurves() {}

  /**
   * Returns normally when {@code key} is an EC key on P-384.
   *
   * @throws DisallowedKeyException for any other algorithm or curve
   */
  public static void requireP384(Key key) throws DisallowedKeyException {
    if (!(key instanceof ECKey ecKey)) {
      throw new DisallowedKeyException(
          "protocol keys must be EC P-384, got " + (key == null ? "no key" : key.getAlgorithm()));
    }
    if (!isP384(ecKey.getParams())) {
      throw new DisallowedKeyException(
          "protocol keys must be on P-384, got a "
              + ecKey.getParams().getCurve().getField().getFieldSize()
              + "-bit curve that is not P-384");
    }
  }

  /** True when the domain parameters are exactly those of P-384. */
  public static boolean isP384(ECParameterSpec params) {
    return params != null
        && P384_PARAMETERS.getCurve().equals(params.getCurve())
        && P384_PARAMETERS.getGenerator().equals(params.getGenerator())
        && P384_PARAMETERS.getOrder().equals(params.getOrder())
        && P384_PARAMETERS.getCofactor() == params.getCofactor();
  }

  private static ECParameterSpec parametersOf(String curveName) {
    try {
      AlgorithmParameters parameters = AlgorithmParameters.getInstance("EC");
      parameters.init(new ECGenParameterSpec(curveName));
      return parameters.getParameterSpec(ECParameterSpec.class);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("no provider knows the curve " + curveName, e);
    }
  }
}
