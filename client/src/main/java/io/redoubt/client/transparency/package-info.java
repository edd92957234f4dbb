/**
 * The client's side of key transparency: verifying signed tree heads with the pinned log key,
 * checking log entries against their leaf bytes, and the {@link
 * io.redoubt.client.transparency.LogMonitor} that keeps a profile's view of the log consistent,
 * scanned in full (proven by a compact range) and watched for certificates of its own user that it
 * did not enroll.
 *
 * <p>Invariant: nothing the server says about the log is believed before a signature or a proof
 * against a signed root checks it; a stored head never moves backwards.
 */
package io.redoubt.client.transparency;
