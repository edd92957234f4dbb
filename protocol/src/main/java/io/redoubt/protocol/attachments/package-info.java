/**
 * File encryption for attachments (docs: messaging, "Attachments"): the STREAM construction of
 * Hoang, Reyhanitabar, Rogaway and Vizár (2015) over AES-256-GCM, in fixed 64 KiB chunks, so that a
 * file of any size is sealed and opened in constant memory.
 *
 * <p>Invariants: a file key is fresh, random, 256 bits and seals exactly one file ({@link
 * io.redoubt.protocol.attachments.AttachmentKey}); each chunk's nonce is the file's random prefix,
 * the chunk's index and a last-chunk flag, so that no (key, nonce) pair repeats and a chunk moved,
 * dropped or appended fails its tag; an opener releases a chunk's plaintext only after its tag
 * verified, and the final chunk only after the digest of the whole ciphertext matched too.
 */
package io.redoubt.protocol.attachments;
