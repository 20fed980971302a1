package org.critcare.cds.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * SMART App Launch 2.2 §Conformance: a client reads the configuration at
 * {@code [FHIR base]/.well-known/smart-configuration} (fhirclient does, and falls back to
 * the CapabilityStatement, which does not tell PKCE support). With the FHIR base
 * {@code /fhir} that path belongs to the FHIR servlet, so this filter forwards it to the
 * one document at {@code /.well-known/smart-configuration}.
 */
class SmartConfigurationForward extends OncePerRequestFilter {

	static final String FHIR_BASE_PATH = "/fhir/.well-known/smart-configuration";

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		request.getRequestDispatcher("/.well-known/smart-configuration").forward(request, response);
	}

}
