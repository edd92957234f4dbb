/**
 * MicroProfile Health checks, served by WildFly on the management interface ({@code /health/live},
 * {@code /health/ready}). Readiness means: the database answers, the HSM signs with the CA key, and
 * the FIPS module is in approved-only mode.
 */
package io.redoubt.web.health;
