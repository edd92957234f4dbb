package io.redoubt.client.cli;

import io.redoubt.client.RedoubtApiException;
import io.redoubt.protocol.api.CaCertificateChainResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;
import picocli.CommandLine.Spec;

/**
 * {@code redoubt admin ca}: makes the organisation's device CA an intermediate of the agency's PKI.
 * {@code csr} fetches the certification request signed in the server's HSM; the agency signs it;
 * {@code import} installs the certificate chain it returned.
 */
@Command(
    name = "ca",
    mixinStandardHelpOptions = true,
    description = {
      "Make the device CA an intermediate of your agency's PKI:",
      "  1. redoubt admin ca csr --out redoubt-ca.csr",
      "  2. have your PKI sign it as a CA certificate (same subject and key identifier)",
      "  3. redoubt admin ca import chain.pem   (CA certificate first, agency root last)"
    },
    subcommands = {
      AdminCaCommand.Csr.class,
      AdminCaCommand.Import.class,
      CommandLine.HelpCommand.class
    })
final class AdminCaCommand {

  @ParentCommand AdminCommand admin;

  Session session() throws Exception {
    return admin.session();
  }

  /** {@code redoubt admin ca csr}. */
  @Command(
      name = "csr",
      mixinStandardHelpOptions = true,
      description =
          "Fetch the device CA's certification request (PKCS#10, PEM), signed in the HSM.")
  static final class Csr implements Callable<Integer> {

    @ParentCommand AdminCaCommand ca;
    @Spec CommandSpec spec;

    @Option(
        names = "--out",
        paramLabel = "FILE",
        description = "Write the request to FILE (default: print it).")
    Path out;

    @Override
    public Integer call() throws Exception {
      Session session = ca.session();
      String pem;
      try {
        pem = session.client().caCertificationRequest(session.accessToken());
      } catch (RedoubtApiException e) {
        throw AdminCommand.explained(e);
      }
      if (out == null) {
        spec.commandLine().getOut().print(pem);
        spec.commandLine().getOut().flush();
      } else {
        try {
          Files.writeString(out, pem, StandardCharsets.US_ASCII);
        } catch (IOException e) {
          throw new RedoubtCommand.UserFacingException("cannot write " + out + ": " + e);
        }
        spec.commandLine()
            .getOut()
            .printf(
                "Wrote the device CA's certification request to %s.%n"
                    + "Have your agency's PKI sign it as a CA certificate, then run:%n"
                    + "  redoubt admin ca import CHAIN.pem%n",
                out);
      }
      return 0;
    }
  }

  /** {@code redoubt admin ca import FILE}. */
  @Command(
      name = "import",
      mixinStandardHelpOptions = true,
      description = {
        "Install the device CA certificate your agency's PKI signed.",
        "FILE holds the PEM chain: the CA certificate first, then its issuers up to and including"
            + " the agency root. The server checks it and changes nothing if any check fails."
      })
  static final class Import implements Callable<Integer> {

    @ParentCommand AdminCaCommand ca;
    @Spec CommandSpec spec;

    @Parameters(paramLabel = "FILE", description = "PEM certificate chain.")
    Path file;

    @Override
    public Integer call() throws Exception {
      String pem;
      try {
        pem = Files.readString(file, StandardCharsets.US_ASCII);
      } catch (NoSuchFileException e) {
        throw new RedoubtCommand.UserFacingException("no file " + file);
      } catch (IOException e) {
        throw new RedoubtCommand.UserFacingException("cannot read " + file + ": " + e);
      }
      if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
        throw new RedoubtCommand.UserFacingException(
            file + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
      }
      Session session = ca.session();
      CaCertificateChainResponse chain;
      try {
        chain = session.client().importCaCertificateChain(session.accessToken(), pem);
      } catch (RedoubtApiException e) {
        if (e.status() == 400) {
          throw new RedoubtCommand.UserFacingException(
              "the server refused the chain, nothing was changed: " + e.getMessage());
        }
        throw AdminCommand.explained(e);
      }
      var out = spec.commandLine().getOut();
      out.printf(
          "Imported: the device CA chain now has %d certificate(s).%n",
          chain.caFingerprintsSha384().size());
      for (int i = 0; i < chain.caFingerprintsSha384().size(); i++) {
        out.printf(
            "  %s SHA-384 %s%n",
            i == 0 ? "CA  " : i == chain.caFingerprintsSha384().size() - 1 ? "root" : "    ",
            chain.caFingerprintsSha384().get(i));
      }
      return 0;
    }
  }
}
