package io.redoubt.web.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.Map;
import java.util.Optional;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.HealthCheckResponse.Status;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the runtime datasource hands out a connection that the database validates. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  private static final String NAME = "database";
  private static final int VALIDATION_TIMEOUT_SECONDS = 2;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    try (Connection connection = dataSource.getConnection()) {
      boolean valid = connection.isValid(VALIDATION_TIMEOUT_SECONDS);
      return new HealthCheckResponse(NAME, valid ? Status.UP : Status.DOWN, Optional.empty());
    } catch (SQLException e) {
      // The SQL state is enough to triage; the message may carry host names and user names.
      return new HealthCheckResponse(
          NAME, Status.DOWN, Optional.of(Map.of("sqlState", String.valueOf(e.getSQLState()))));
    }
  }
}
