package io.redoubt.web.errors;

import jakarta.json.bind.Jsonb;
import jakarta.json.bind.JsonbBuilder;
import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.UUID;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The error page for errors the container raises outside JAX-RS (a rejected bearer token, a path
 * outside the API): renders the same problem body as the API's own mappers.
 */
@WebServlet(name = "problem", urlPatterns = "/problem")
public class ProblemServlet extends HttpServlet {
  private static final long serialVersionUID = 1L;
  private static final Logger LOG = Logger.getLogger(ProblemServlet.class.getName());
  private static final Jsonb JSON = JsonbBuilder.create();

  @Override
  protected void service(HttpServletRequest request, HttpServletResponse response)
      throws IOException {
    Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
    int status = code instanceof Integer value ? value : HttpServletResponse.SC_NOT_FOUND;
    Object uri = request.getAttribute(RequestDispatcher.ERROR_REQUEST_URI);
    String path = uri == null ? null : uri.toString();
    Problem problem;
    if (status >= 500) {
      String incident = UUID.randomUUID().toString();
      Object fault = request.getAttribute(RequestDispatcher.ERROR_EXCEPTION);
      LOG.log(
          Level.SEVERE,
          "Incident " + incident + " on " + path,
          fault instanceof Throwable t ? t : null);
      problem = Problem.serverFault(incident, path);
    } else {
      problem = Problem.ofStatus(status, path);
    }
    response.setStatus(status);
    response.setContentType(Problem.MEDIA_TYPE);
    response.setCharacterEncoding("UTF-8");
    if (status == HttpServletResponse.SC_UNAUTHORIZED
        && response.getHeader("WWW-Authenticate") == null) {
      response.setHeader("WWW-Authenticate", BearerChallenge.VALUE);
    }
    if (!"HEAD".equals(request.getMethod())) {
      response.getWriter().write(JSON.toJson(problem));
    }
  }
}
