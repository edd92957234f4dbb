package io.redoubt.web.health;

import jakarta.annotation.Resource;
import jakarta.enterprise.context.ApplicationScoped;
import java.sql.Connection;
import java.sql.SQLException;
import javax.sql.DataSource;
import org.eclipse.microprofile.health.HealthCheck;
import org.eclipse.microprofile.health.HealthCheckResponse;
import org.eclipse.microprofile.health.Readiness;

/** Ready when the runtime datasource hands out a connection that the database validates. */
@Readiness
@ApplicationScoped
public class DatabaseReadiness implements HealthCheck {

  private static final int VALIDATION_TIMEOUT_SECONDS = 2;

  @Resource(lookup = "java:jboss/datasources/RedoubtDS")
  DataSource dataSource;

  @Override
  public HealthCheckResponse call() {
    var response = HealthCheckResponse.named("database");
    try (Connection connection = dataSource.getConnection()) {
      return response.status(connection.isValid(VALIDATION_TIMEOUT_SECONDS)).build();
    } catch (SQLException e) {
      // The SQL state is enough to triage; the message may carry host names and user names.
      return response.down().withData("sqlState", String.valueOf(e.getSQLState())).build();
    }
  }
}
