package org.critcare.cds.security;

import jakarta.servlet.http.HttpServletRequest;

/**
 * The URL a CDS Hooks request was sent to, which its JWT's {@code aud} must equal (CDS
 * Hooks 2.0 §Trusting CDS Clients): the public base of {@code cds.fhir.server-address}
 * (without its {@code /fhir}) when set, which is what a server behind a proxy must use;
 * else the scheme, host and port of the request.
 */
class CalledUrls {

	private final String publicBase;

	CalledUrls(String fhirServerAddress) {
		String base = fhirServerAddress == null ? "" : fhirServerAddress.strip().replaceAll("/+$", "");
		this.publicBase = base.endsWith("/fhir") ? base.substring(0, base.length() - "/fhir".length()) : base;
	}

	String of(HttpServletRequest request) {
		String path = request.getRequestURI();
		if (!publicBase.isEmpty()) {
			return publicBase + path.substring(request.getContextPath().length());
		}
		return request.getRequestURL().toString();
	}

}
