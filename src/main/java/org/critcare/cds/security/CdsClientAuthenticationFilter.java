package org.critcare.cds.security;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.io.IOException;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.security.authentication.UsernamePasswordAuthenticationToken;
import org.springframework.security.core.context.SecurityContextHolder;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Authenticates every {@code /cds-services} request (discovery, service calls, feedback)
 * by the JWT its CDS client signed (CDS Hooks 2.0 §Trusting CDS Clients). A request
 * without a valid token gets a bare 401; the reason goes to the log, never the token.
 * Each request of an authenticated client leaves an audit record with its outcome.
 */
class CdsClientAuthenticationFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("critcare.security");

	private final CdsClientTokens tokens;

	private final CalledUrls calledUrls;

	private final SecurityAudit audit;

	CdsClientAuthenticationFilter(CdsClientTokens tokens, CalledUrls calledUrls, SecurityAudit audit) {
		this.tokens = tokens;
		this.calledUrls = calledUrls;
		this.audit = audit;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		String path = request.getRequestURI().substring(request.getContextPath().length());
		String header = request.getHeader("Authorization");
		if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7) || header.length() <= 7) {
			refuse(response, null, path, "no bearer token");
			return;
		}
		AuthenticatedCdsClient client;
		try {
			client = tokens.verify(header.substring(7).strip(), calledUrls.of(request));
		}
		catch (CdsClientTokens.RejectedTokenException e) {
			refuse(response, e.issuer(), path, e.getMessage());
			return;
		}
		client.attachTo(request);
		SecurityContextHolder.getContext()
			.setAuthentication(UsernamePasswordAuthenticationToken.authenticated(client.issuer(), null, List.of()));
		try {
			chain.doFilter(request, response);
		}
		finally {
			audit.hookCall(client.issuer(), path,
					(String) request.getAttribute(AuthenticatedCdsClient.AUDIT_PATIENT_ATTRIBUTE),
					response.getStatus());
		}
	}

	private void refuse(HttpServletResponse response, String issuer, String path, String reason) {
		log.info("cds-hooks request refused: {}", reason);
		audit.hookDenied(issuer, path, reason.contains(":") ? reason.substring(0, reason.indexOf(':')) : reason);
		response.setStatus(HttpServletResponse.SC_UNAUTHORIZED);
		response.setHeader("WWW-Authenticate", "Bearer");
	}

}
