package org.critcare.cds.patientdata;

/**
 * Data a service needs cannot be had: the client's FHIR server is unreachable, too slow,
 * refuses the token, or answers with an error (CDS Hooks: HTTP 412 Precondition Failed).
 */
public class DataUnavailableException extends RuntimeException {

	public DataUnavailableException(String message) {
		super(message);
	}

	public DataUnavailableException(String message, Throwable cause) {
		super(message, cause);
	}

}
