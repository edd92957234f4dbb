/**
 * Messaging in the client SDK: conversations, sending and receiving envelopes.
 *
 * <p>Invariants: a message is sealed only to devices whose certificate, revocation status, log
 * inclusion and prekey signature this client checked itself ({@link
 * io.redoubt.client.messaging.RecipientCheck}); the server's recipient list decides only whom to
 * check. A received message is reported verified only when its sender's certificate passed the same
 * checks, names the header's sender user and device, and signed the envelope ({@link
 * io.redoubt.client.messaging.SenderCheck}); anything else is reported unverified with the reason.
 * A one-time prekey is destroyed once a message sealed to it has been opened.
 */
package io.redoubt.client.messaging;
