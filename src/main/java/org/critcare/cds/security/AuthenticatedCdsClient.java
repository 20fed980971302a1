package org.critcare.cds.security;

import jakarta.servlet.http.HttpServletRequest;
import java.util.List;
import java.util.Optional;

/**
 * The CDS client a {@code /cds-services} request was authenticated as, and the
 * {@code fhirServer} base URLs it may name (CDS Hooks 2.0 §Trusting CDS Clients). Absent
 * when security is off.
 *
 * @param issuer the client's {@code iss}
 * @param fhirServers the {@code fhirServer} bases its calls may name; empty = none
 */
public record AuthenticatedCdsClient(String issuer, List<String> fhirServers) {

	private static final String ATTRIBUTE = AuthenticatedCdsClient.class.getName();

	/**
	 * The request attribute in which the CDS Hooks endpoint leaves the patient reference
	 * of an authorised call, for the audit record.
	 */
	public static final String AUDIT_PATIENT_ATTRIBUTE = AuthenticatedCdsClient.class.getName() + ".patient";

	/** The authenticated client of the request, if security is on. */
	public static Optional<AuthenticatedCdsClient> of(HttpServletRequest request) {
		return Optional.ofNullable((AuthenticatedCdsClient) request.getAttribute(ATTRIBUTE));
	}

	void attachTo(HttpServletRequest request) {
		request.setAttribute(ATTRIBUTE, this);
	}

}
