package dev.lockstep.web;

import jakarta.ws.rs.ApplicationPath;
import jakarta.ws.rs.core.Application;
import org.eclipse.microprofile.openapi.annotations.OpenAPIDefinition;
import org.eclipse.microprofile.openapi.annotations.enums.SecuritySchemeType;
import org.eclipse.microprofile.openapi.annotations.info.Info;
import org.eclipse.microprofile.openapi.annotations.security.SecurityScheme;

/** The HTTP API, version 1, as written in shared/API.md. */
@ApplicationPath("/api/v1")
@OpenAPIDefinition(
    info =
        @Info(
            title = "Lockstep lock service",
            version = "1",
            description =
                "Sessions with a TTL, exclusive and shared locks with a FIFO queue, fencing"
                    + " tokens from one counter that only grows. Errors are application/problem+json."))
@SecurityScheme(
    securitySchemeName = "session",
    type = SecuritySchemeType.HTTP,
    scheme = "bearer",
    description = "The session token returned once by POST /api/v1/sessions")
public class LockstepApplication extends Application {}
