/**
 * MicroProfile Health checks and the endpoints that serve them ({@code /api/v1/health/live}, {@code
 * /api/v1/health/ready}). Readiness means: the database answers, the HSM signs with the CA key, and
 * the FIPS module is in approved-only mode.
 */
package io.redoubt.web.health;
