/** Small helpers for the JDBC and JPA statements of the other packages. */
package io.redoubt.persistence;
