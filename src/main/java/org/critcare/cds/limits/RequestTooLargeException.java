package org.critcare.cds.limits;

/**
 * A request over one of the documented {@link RequestLimits}: answered 413 with its
 * stable error code, and nothing of it is stored.
 */
public class RequestTooLargeException extends RuntimeException {

	private final String code;

	public RequestTooLargeException(String code, String message) {
		super(message);
		this.code = code;
	}

	public String code() {
		return code;
	}

}
