package org.critcare.cds.cdshooks;

import org.springframework.http.HttpStatus;

/**
 * The stable error codes of the CDS Hooks endpoints (CONTRACT "Errors") and the status
 * each is answered with, in a body {@code {"error": "<code>", "message": "<text>"}}. The
 * README's error table lists the same codes.
 */
public enum CdsHooksError {

	/** The body is not a JSON object. */
	MALFORMED_JSON(HttpStatus.BAD_REQUEST),

	/** No {@code hook} (CDS Hooks §HTTP Request). */
	MISSING_HOOK(HttpStatus.BAD_REQUEST),

	/** No {@code hookInstance}. */
	MISSING_HOOK_INSTANCE(HttpStatus.BAD_REQUEST),

	/** A {@code hookInstance} that is not a UUID (it is never logged). */
	INVALID_HOOK_INSTANCE(HttpStatus.BAD_REQUEST),

	/** No {@code context} object. */
	MISSING_CONTEXT(HttpStatus.BAD_REQUEST),

	/** No {@code context.patientId}. */
	MISSING_PATIENT_ID(HttpStatus.BAD_REQUEST),

	/** A context without what its hook requires (order hooks without draft orders). */
	INVALID_CONTEXT(HttpStatus.BAD_REQUEST),

	/** A hook the service does not answer. */
	UNSUPPORTED_HOOK(HttpStatus.BAD_REQUEST),

	/** A prefetch value that is neither a FHIR resource nor {@code null}. */
	INVALID_PREFETCH(HttpStatus.BAD_REQUEST),

	/**
	 * A {@code fhirServer} that is not an absolute http(s) URL, or one with user
	 * information.
	 */
	INVALID_FHIR_SERVER(HttpStatus.BAD_REQUEST),

	/**
	 * A {@code fhirServer} outside the list of the authenticated CDS client
	 * ({@code cds.security.cds-clients[n].fhir-servers}); refused before any connection.
	 */
	FHIR_SERVER_NOT_ALLOWED(HttpStatus.BAD_REQUEST),

	/** {@code fhirAuthorization} without {@code fhirServer} or without a token. */
	INVALID_FHIR_AUTHORIZATION(HttpStatus.BAD_REQUEST),

	/**
	 * Feedback that does not follow CDS Hooks 2.0 §Feedback; nothing is stored
	 * ({@link org.critcare.cds.feedback.InvalidFeedbackException}).
	 */
	INVALID_FEEDBACK(HttpStatus.BAD_REQUEST),

	/**
	 * A request the servlet container refuses before any routing: an encoded slash,
	 * backslash or NUL in the URL, bytes that are not UTF-8, headers over the size limit
	 * ({@link ContainerErrorReportValve}).
	 */
	MALFORMED_REQUEST(HttpStatus.BAD_REQUEST),

	/** A browser request from an origin not in {@code cds.cors.allowed-origins}. */
	ORIGIN_NOT_ALLOWED(HttpStatus.FORBIDDEN),

	/** No such CDS service. */
	UNKNOWN_SERVICE(HttpStatus.NOT_FOUND),

	/** No such path under {@code /cds-services}. */
	NOT_FOUND(HttpStatus.NOT_FOUND),

	/** A method the path does not answer (e.g. GET on a service). */
	METHOD_NOT_ALLOWED(HttpStatus.METHOD_NOT_ALLOWED),

	/** An Accept header that excludes {@code application/json}. */
	NOT_ACCEPTABLE(HttpStatus.NOT_ACCEPTABLE),

	/** Data the service needs but cannot get (CONTRACT "Data"). */
	DATA_UNAVAILABLE(HttpStatus.PRECONDITION_FAILED),

	/** A body over {@code cds.limits.max-request-size}. */
	PAYLOAD_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),

	/** More prefetch resources than {@code cds.limits.max-prefetch-entries}. */
	PREFETCH_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),

	/**
	 * More feedback entries than {@code cds.limits.max-feedback-entries}; nothing is
	 * stored.
	 */
	FEEDBACK_TOO_LARGE(HttpStatus.PAYLOAD_TOO_LARGE),

	/** A POST whose Content-Type is not {@code application/json}. */
	UNSUPPORTED_MEDIA_TYPE(HttpStatus.UNSUPPORTED_MEDIA_TYPE),

	/** The service's CQL failed; logged on the server. */
	EVALUATION_FAILED(HttpStatus.INTERNAL_SERVER_ERROR),

	/** Any other failure; logged on the server. */
	INTERNAL_ERROR(HttpStatus.INTERNAL_SERVER_ERROR);

	private final HttpStatus status;

	CdsHooksError(HttpStatus status) {
		this.status = status;
	}

	public HttpStatus status() {
		return status;
	}

}
