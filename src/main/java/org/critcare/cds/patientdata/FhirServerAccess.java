package org.critcare.cds.patientdata;

/**
 * The CDS client's FHIR server and the bearer token to read it with ({@code fhirServer}
 * and {@code fhirAuthorization.access_token} of the hook request). The token is used for
 * this call only and never logged or stored.
 */
public record FhirServerAccess(String baseUrl, String accessToken) {

	@Override
	public String toString() {
		return "FhirServerAccess[baseUrl=" + baseUrl + ", accessToken=" + (accessToken == null ? "none" : "***") + "]";
	}

}
