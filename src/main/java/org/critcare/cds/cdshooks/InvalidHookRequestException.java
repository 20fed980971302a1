package org.critcare.cds.cdshooks;

/**
 * A CDS Hooks request or feedback the server cannot accept, with its stable error (which
 * also gives the HTTP status).
 */
class InvalidHookRequestException extends RuntimeException {

	private final CdsHooksError error;

	InvalidHookRequestException(CdsHooksError error, String message) {
		super(message);
		this.error = error;
	}

	CdsHooksError error() {
		return error;
	}

}
