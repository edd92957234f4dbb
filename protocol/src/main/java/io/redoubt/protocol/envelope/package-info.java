/**
 * The message envelope of docs/messaging: header, sealed content, per-recipient wrapped keys and
 * the sender device's signature, with their exact TBS encodings.
 */
package io.redoubt.protocol.envelope;
