/**
 * The {@code redoubt} command: one profile per server and identity under {@code $REDOUBT_HOME}
 * (default {@code ~/.redoubt}). Invariants: profile files are readable by their owner only; tokens
 * and passwords never appear in output or error messages; data output has a {@code --json} form.
 */
package io.redoubt.client.cli;
