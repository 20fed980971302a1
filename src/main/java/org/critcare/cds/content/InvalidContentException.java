package org.critcare.cds.content;

/**
 * A content file that cannot be loaded: JSON that does not parse as FHIR, or CQL that
 * does not compile. The message names the file and the line; start-up stops.
 */
public class InvalidContentException extends RuntimeException {

	public InvalidContentException(String message, Throwable cause) {
		super(message, cause);
	}

}
