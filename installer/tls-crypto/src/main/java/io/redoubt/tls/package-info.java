/**
 * The TLS crypto of the server JVM's JSSE provider (Bouncy Castle's, over the FIPS module): on the
 * JVM's module path beside the FIPS jars, named in the server's {@code java.security}.
 */
package io.redoubt.tls;
