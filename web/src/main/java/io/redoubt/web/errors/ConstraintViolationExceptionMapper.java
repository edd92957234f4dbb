package io.redoubt.web.errors;

import jakarta.validation.ConstraintViolation;
import jakarta.validation.ConstraintViolationException;
import jakarta.validation.ElementKind;
import jakarta.validation.Path;
import jakarta.ws.rs.core.Context;
import jakarta.ws.rs.core.Response;
import jakarta.ws.rs.core.UriInfo;
import jakarta.ws.rs.ext.ExceptionMapper;
import jakarta.ws.rs.ext.Provider;
import java.util.stream.Collectors;
import java.util.stream.StreamSupport;

/**
 * 400 for request parameters or bodies that fail Bean Validation, in the one problem shape (the
 * container's own mapper would answer in its own format). The detail names the parameter and the
 * constraint's message, never the rejected value. A violated return value is a server fault.
 */
@Provider
public class ConstraintViolationExceptionMapper
    implements ExceptionMapper<ConstraintViolationException> {

  @Context UriInfo uri;

  @Override
  public Response toResponse(ConstraintViolationException exception) {
    String path = ProblemPaths.of(uri);
    if (exception.getConstraintViolations().stream().anyMatch(this::onReturnValue)) {
      return UnexpectedExceptionMapper.serverFault(exception, path);
    }
    String detail =
        exception.getConstraintViolations().stream()
            .map(v -> parameterName(v) + " " + v.getMessage())
            .sorted()
            .collect(Collectors.joining("; "));
    return Problem.ofStatus(400, "Invalid request: " + detail + ".", path).toResponse();
  }

  private boolean onReturnValue(ConstraintViolation<?> violation) {
    return StreamSupport.stream(violation.getPropertyPath().spliterator(), false)
        .anyMatch(node -> node.getKind() == ElementKind.RETURN_VALUE);
  }

  private static String parameterName(ConstraintViolation<?> violation) {
    String name = "parameter";
    for (Path.Node node : violation.getPropertyPath()) {
      name = node.getName();
    }
    return name;
  }
}
