package io.redoubt.client.cli;

import java.io.BufferedReader;
import java.io.Console;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The device key store's passphrase, from standard input, the environment variable {@value #ENV},
 * or a prompt on the terminal — never from the command line, where other users and shell history
 * would see it.
 */
final class Passphrase {

  static final String ENV = "REDOUBT_PASSPHRASE";

  private Passphrase() {}

  /**
   * Reads the passphrase.
   *
   * @param fromStdin {@code --passphrase-stdin}: the first line of standard input
   * @param confirm ask twice on a terminal (a new key store)
   */
  static char[] read(boolean fromStdin, boolean confirm)
      throws IOException, RedoubtCommand.UserFacingException {
    if (fromStdin) {
      var stdin = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
      String line = stdin.readLine();
      if (line == null || line.isEmpty()) {
        throw new RedoubtCommand.UserFacingException("no passphrase on standard input");
      }
      return line.toCharArray();
    }
    String env = System.getenv(ENV);
    if (env != null && !env.isEmpty()) {
      return env.toCharArray();
    }
    Console console = System.console();
    if (console == null) {
      throw new RedoubtCommand.UserFacingException(
          "the device passphrase is needed: use --passphrase-stdin, set "
              + ENV
              + ", or run on a terminal");
    }
    char[] first = console.readPassword("Device passphrase: ");
    if (first == null) {
      throw new RedoubtCommand.UserFacingException("no passphrase given");
    }
    if (confirm) {
      char[] second = console.readPassword("Repeat it: ");
      boolean same = Arrays.equals(first, second);
      if (second != null) {
        Arrays.fill(second, '\0');
      }
      if (!same) {
        Arrays.fill(first, '\0');
        throw new RedoubtCommand.UserFacingException("the passphrases differ");
      }
    }
    return first;
  }
}
