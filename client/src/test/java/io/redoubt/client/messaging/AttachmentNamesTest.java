package io.redoubt.client.messaging;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

/** A sender's file name, untrusted, made into one plain name that stays in the save directory. */
class AttachmentNamesTest {

  @TempDir Path directory;

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      delimiter = '|',
      value = {
        "report.pdf|report.pdf",
        "Quarterly report 2026.xlsx|Quarterly report 2026.xlsx",
        "Übersicht été.txt|Übersicht été.txt",
        // Directories of the sender mean nothing here; only the last component is kept.
        "../../.bashrc|bashrc",
        "/etc/passwd|passwd",
        "..\\..\\Windows\\System32\\drivers\\etc\\hosts|hosts",
        "a/../../b.txt|b.txt",
        "C:\\Users\\bob\\secret.doc|secret.doc",
        // No hidden files, never '.' or '..'.
        ".profile|profile",
        "...hidden|hidden",
        "..|attachment",
        ".|attachment",
        "a..b.txt|a..b.txt",
        // Trailing dots and spaces (Windows drops them, making two names one).
        "notes.txt. . |notes.txt",
        // Device names Windows reserves, with or without extension, in any case.
        "CON|_CON",
        "nul.txt|_nul.txt",
        "Com1.tar.gz|_Com1.tar.gz",
        "LPT9|_LPT9",
        "CONSOLE.txt|CONSOLE.txt",
        // Characters no portable name may hold.
        "what?.txt|what_.txt",
        "a<b>c:d*e\".txt|a_b_c_d_e_.txt",
      })
  void sanitises(String sent, String saved) {
    assertThat(AttachmentNames.sanitise(sent)).isEqualTo(saved);
  }

  @Test
  void controlAndFormatCharactersAreReplaced() {
    assertThat(AttachmentNames.sanitise("line\nbreak\r.txt")).isEqualTo("line_break_.txt");
    assertThat(AttachmentNames.sanitise("bell\u0007\u001b[31m.txt")).isEqualTo("bell__[31m.txt");
    assertThat(AttachmentNames.sanitise("nul\u0000byte")).isEqualTo("nul_byte");
    // A right-to-left override would show "invoice.pdf" for a file that ends in ".exe".
    assertThat(AttachmentNames.sanitise("invoice\u202Efdp.exe")).isEqualTo("invoice_fdp.exe");
    assertThat(AttachmentNames.sanitise("zero\u200Bwidth")).isEqualTo("zero_width");
    assertThat(AttachmentNames.sanitise("sep\u2028arated")).isEqualTo("sep_arated");
    assertThat(AttachmentNames.sanitise("del\u007f")).isEqualTo("del_");
    assertThat(AttachmentNames.sanitise("pipe|d.txt")).isEqualTo("pipe_d.txt");
  }

  @ParameterizedTest
  @NullAndEmptySource
  @ValueSource(strings = {" ", "/", "\\", "../", "..\\..\\", ". . .", "dir/"})
  void nothingUsableLeftGivesTheFallback(String sent) {
    assertThat(AttachmentNames.sanitise(sent)).isEqualTo(AttachmentNames.FALLBACK);
  }

  @Test
  void longNamesAreCutBetweenCodePointsKeepingTheExtension() {
    String name = AttachmentNames.sanitise("é".repeat(300) + ".pdf");
    assertThat(name).endsWith(".pdf").startsWith("éé");
    assertThat(name.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(AttachmentNames.MAX_BYTES);
    assertThat(name).doesNotContain("\uFFFD");
    String emoji = AttachmentNames.sanitise("\uD83D\uDCC4".repeat(100));
    assertThat(emoji.getBytes(StandardCharsets.UTF_8).length)
        .isLessThanOrEqualTo(AttachmentNames.MAX_BYTES);
    assertThat(emoji.codePoints().allMatch(c -> c == 0x1F4C4)).isTrue();
  }

  @Test
  void candidatesCountBeforeTheExtension() {
    assertThat(AttachmentNames.candidate("report.pdf", 0)).isEqualTo("report.pdf");
    assertThat(AttachmentNames.candidate("report.pdf", 1)).isEqualTo("report (1).pdf");
    assertThat(AttachmentNames.candidate("report.pdf", 12)).isEqualTo("report (12).pdf");
    assertThat(AttachmentNames.candidate("README", 2)).isEqualTo("README (2)");
  }

  @Test
  void everySanitisedNameStaysDirectlyInsideTheDirectory() {
    for (String sent :
        new String[] {"../x", "..", "a/b/c", "/abs", "C:\\x", "\u0000", "CON", ".git/config"}) {
      Path target = AttachmentNames.inside(directory, AttachmentNames.sanitise(sent));
      assertThat(target.getParent()).isEqualTo(directory.toAbsolutePath().normalize());
    }
  }

  @Test
  void insideRefusesAnythingButAPlainName() {
    for (String bad : new String[] {"..", ".", "../x", "a/b", ""}) {
      assertThatThrownBy(() -> AttachmentNames.inside(directory, bad))
          .as(bad)
          .isInstanceOf(IllegalArgumentException.class);
    }
  }

  @Test
  void aSavedNameIsAFileThatCanBeCreated() throws Exception {
    String name = AttachmentNames.sanitise("../..\u202E/we|ird:na*me?.tx\tt");
    Path created = Files.createFile(AttachmentNames.inside(directory, name));
    assertThat(Files.exists(created)).isTrue();
  }
}
