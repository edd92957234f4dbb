package io.redoubt.web;

import jakarta.annotation.security.DeclareRoles;
import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.auth.LoginConfig;

/** The REST API, version 1. Callers authenticate with a bearer token from the realm's Keycloak. */
@ApplicationPath("/api/v1")
@LoginConfig(authMethod = "MP-JWT", realmName = "redoubt")
@DeclareRoles({Roles.USER, Roles.ADMIN, Roles.AUDITOR, Roles.DIRECTORY_EVENTS})
public class RedoubtApplication extends Application {}
