/**
 * The database schema: versioned migrations in {@code db/migration}, applied once at deployment
 * through the schema-owner account, before any bean reads or writes.
 *
 * <p>Invariant: the runtime datasource has DML grants only, so nothing but the migrations can
 * change the schema, and a migration that was applied is never edited (add a new one).
 */
package io.redoubt.schema;
