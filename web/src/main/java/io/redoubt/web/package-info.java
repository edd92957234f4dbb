/**
 * The HTTP edge of Redoubt: thin JAX-RS resources (JSON in, one call into the domain, JSON out),
 * health checks, and the single error shape. Resources never return entities.
 */
package io.redoubt.web;
