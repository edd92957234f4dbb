/**
 * One error shape for the whole API: RFC 9457 {@code application/problem+json}, produced by the
 * exception mappers for errors inside JAX-RS and by {@link io.redoubt.web.errors.ProblemServlet}
 * for errors the container raises before JAX-RS runs. Server faults are logged with an incident id
 * and never described to the caller.
 */
package io.redoubt.web.errors;
