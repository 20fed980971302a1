package org.critcare.cds.cdshooks;

/**
 * A CDS Hooks request or feedback the server cannot accept (HTTP 400), with a stable
 * code.
 */
class InvalidHookRequestException extends RuntimeException {

	private final String code;

	InvalidHookRequestException(String code, String message) {
		super(message);
		this.code = code;
	}

	String code() {
		return code;
	}

}
