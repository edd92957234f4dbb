/**
 * Administrators' endpoints under {@code /api/v1/admin}, all restricted to the {@code
 * redoubt-admin} role: the device CA's certification request and certificate import.
 */
package io.redoubt.web.admin;
