package io.redoubt.schema;

import jakarta.annotation.PostConstruct;
import jakarta.annotation.Resource;
import jakarta.ejb.Singleton;
import jakarta.ejb.Startup;
import jakarta.ejb.TransactionManagement;
import jakarta.ejb.TransactionManagementType;
import java.util.logging.Logger;
import javax.sql.DataSource;
import org.flywaydb.core.Flyway;

/**
 * Brings the schema to the version this build expects, at deployment, before any other startup bean
 * runs ({@code @DependsOn("SchemaMigrator")}). A failed migration fails the deployment: the server
 * must not serve on a schema it does not understand.
 */
@Singleton
@Startup
@TransactionManagement(TransactionManagementType.BEAN) // Flyway commits on its own connection.
public class SchemaMigrator {

  private static final Logger LOG = Logger.getLogger(SchemaMigrator.class.getName());

  /** Non-JTA datasource of the schema-owner account (DDL grants), used for nothing else. */
  @Resource(lookup = "java:jboss/datasources/RedoubtSchemaDS")
  private DataSource schemaOwner;

  @PostConstruct
  void migrate() {
    var flyway =
        Flyway.configure(SchemaMigrator.class.getClassLoader())
            .dataSource(schemaOwner)
            .locations("classpath:db/migration")
            .validateMigrationNaming(true)
            .cleanDisabled(true)
            .load();
    var result = flyway.migrate();
    LOG.info(
        () ->
            "Schema at version "
                + flyway.info().current().getVersion()
                + " ("
                + result.migrationsExecuted
                + " migration(s) applied now)");
  }
}
