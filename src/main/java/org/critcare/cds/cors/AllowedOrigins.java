package org.critcare.cds.cors;

import org.springframework.web.cors.CorsConfiguration;

/**
 * The origins whose pages may read this server's answers
 * ({@code cds.cors.allowed-origins}, without {@code *} when security is on), for answers
 * written outside the CORS filter: the errors Tomcat answers before any filter runs.
 */
public final class AllowedOrigins {

	private final CorsConfiguration configuration;

	AllowedOrigins(CorsConfiguration configuration) {
		this.configuration = configuration;
	}

	/**
	 * The {@code Access-Control-Allow-Origin} value for a request from this origin;
	 * {@code null} when there is no origin or it may not read the answer.
	 */
	public String allowOrigin(String origin) {
		return origin == null ? null : configuration.checkOrigin(origin);
	}

	CorsConfiguration configuration() {
		return configuration;
	}

}
