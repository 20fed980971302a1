package org.critcare.cds.cors;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import org.critcare.cds.cdshooks.CdsHooksError;
import org.springframework.http.MediaType;
import org.springframework.http.server.ServerHttpResponse;
import org.springframework.web.cors.CorsConfiguration;
import org.springframework.web.cors.CorsUtils;
import org.springframework.web.cors.DefaultCorsProcessor;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Spring's CORS processing as a servlet filter, so it covers the FHIR servlet as well as
 * Spring MVC. A preflight is answered here; a request from an origin that is not allowed
 * gets 403 in the shape of its endpoint: an OperationOutcome under {@code /fhir}, else
 * {@code {"error": "ORIGIN_NOT_ALLOWED", "message": …}}.
 */
class CrossOriginFilter extends OncePerRequestFilter {

	private static final String FHIR_REJECTION = """
			{"resourceType":"OperationOutcome","issue":[{"severity":"error","code":"forbidden",\
			"diagnostics":"This origin is not allowed to call the server (cds.cors.allowed-origins)"}]}""";

	private static final String REJECTION = """
			{"error":"%s","message":"This origin is not allowed to call the server (cds.cors.allowed-origins)"}"""
		.formatted(CdsHooksError.ORIGIN_NOT_ALLOWED.name());

	private final CorsConfiguration configuration;

	private final DefaultCorsProcessor processor = new DefaultCorsProcessor() {
		@Override
		protected void rejectRequest(ServerHttpResponse response) {
			// the filter writes the rejection in the endpoint's own shape
		}
	};

	CrossOriginFilter(CorsConfiguration configuration) {
		this.configuration = configuration;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		if (!processor.processRequest(configuration, request, response)) {
			boolean fhir = request.getRequestURI().startsWith(request.getContextPath() + "/fhir");
			response.setStatus(CdsHooksError.ORIGIN_NOT_ALLOWED.status().value());
			response.setContentType(fhir ? "application/fhir+json" : MediaType.APPLICATION_JSON_VALUE);
			response.getOutputStream().write((fhir ? FHIR_REJECTION : REJECTION).getBytes(StandardCharsets.UTF_8));
			return;
		}
		if (CorsUtils.isPreFlightRequest(request)) {
			return;
		}
		chain.doFilter(request, response);
	}

}
