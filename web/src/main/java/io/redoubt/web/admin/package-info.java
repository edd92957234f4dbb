/**
 * Administrators' endpoints under {@code /api/v1/admin}, all restricted to the {@code
 * redoubt-admin} role: the device CA's certification request and certificate import; the directory
 * reconciliation's history, a run on demand, confirmation of held runs, and a user's directory
 * record.
 */
package io.redoubt.web.admin;
