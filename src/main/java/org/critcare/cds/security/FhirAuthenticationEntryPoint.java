package org.critcare.cds.security;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.core.AuthenticationException;
import org.springframework.security.web.AuthenticationEntryPoint;

/**
 * The answer to a {@code /fhir} request without a valid access token (CONTRACT "Errors"):
 * 401 with {@code WWW-Authenticate: Bearer} (RFC 6750) and an OperationOutcome that does
 * not say what was wrong with the token; the reason is logged, the token never.
 */
class FhirAuthenticationEntryPoint implements AuthenticationEntryPoint {

	private static final Logger log = LoggerFactory.getLogger("critcare.security");

	private static final byte[] BODY = """
			{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"login",\
			"diagnostics":"A valid SMART access token is required (Authorization: Bearer)"}]}"""
		.getBytes(StandardCharsets.UTF_8);

	private final SecurityAudit audit;

	FhirAuthenticationEntryPoint(SecurityAudit audit) {
		this.audit = audit;
	}

	@Override
	public void commence(HttpServletRequest request, HttpServletResponse response, AuthenticationException exception)
			throws IOException {
		String reason = exception.getMessage() == null ? "unauthenticated" : exception.getMessage();
		log.info("fhir request refused: {}", reason);
		audit.fhirDenied(null, request.getMethod(), 401,
				request.getHeader("Authorization") == null ? "no-token" : "invalid-token");
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer");
		response.setContentType("application/fhir+json");
		response.getOutputStream().write(BODY);
	}

}
