/**
 * The audit trail: security-relevant events, each appended in the transaction that makes the change
 * it records, so that a change and its record commit or fail together.
 *
 * <p>Today it records offboarding (issue 5). The audit issue will chain the records, sign
 * checkpoints with the organisation's audit key in the HSM ({@code KeyPurpose.AUDIT}) and export
 * them; the table is shaped for that (a gap-free sequence, the time, the actor, the subject, the
 * run that decided). Until then no code updates or deletes a record.
 */
package io.redoubt.audit;
