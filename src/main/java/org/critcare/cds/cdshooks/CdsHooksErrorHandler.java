package org.critcare.cds.cdshooks;

import java.util.LinkedHashMap;
import java.util.Map;
import org.critcare.cds.cql.CqlEvaluationException;
import org.critcare.cds.limits.RequestTooLargeException;
import org.critcare.cds.patientdata.DataUnavailableException;
import org.critcare.cds.recommendation.UnknownServiceException;
import org.critcare.cds.recommendation.UnsupportedHookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place where CDS Hooks errors become HTTP answers (CONTRACT "Errors"): a JSON
 * body {@code {"error": "<stable code>", "message": "<text>"}}, never a stack trace or
 * patient data. Bad input is 400 (404 for an unknown service), data that cannot be had
 * 412, and a defect 500.
 */
@RestControllerAdvice(assignableTypes = CdsHooksController.class)
class CdsHooksErrorHandler {

	private static final Logger log = LoggerFactory.getLogger("critcare.cds-hooks");

	@ExceptionHandler(InvalidHookRequestException.class)
	ResponseEntity<Map<String, String>> invalid(InvalidHookRequestException e) {
		return error(HttpStatus.BAD_REQUEST, e.code(), e.getMessage());
	}

	@ExceptionHandler(RequestTooLargeException.class)
	ResponseEntity<Map<String, String>> tooLarge(RequestTooLargeException e) {
		return error(HttpStatus.PAYLOAD_TOO_LARGE, e.code(), e.getMessage());
	}

	@ExceptionHandler(UnknownServiceException.class)
	ResponseEntity<Map<String, String>> unknownService(UnknownServiceException e) {
		return error(HttpStatus.NOT_FOUND, "UNKNOWN_SERVICE", e.getMessage());
	}

	@ExceptionHandler(UnsupportedHookException.class)
	ResponseEntity<Map<String, String>> unsupportedHook(UnsupportedHookException e) {
		return error(HttpStatus.BAD_REQUEST, "UNSUPPORTED_HOOK", e.getMessage());
	}

	@ExceptionHandler(DataUnavailableException.class)
	ResponseEntity<Map<String, String>> dataUnavailable(DataUnavailableException e) {
		return error(HttpStatus.PRECONDITION_FAILED, "DATA_UNAVAILABLE", e.getMessage());
	}

	@ExceptionHandler(CqlEvaluationException.class)
	ResponseEntity<Map<String, String>> evaluation(CqlEvaluationException e) {
		log.error("CDS rule evaluation failed", e);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "EVALUATION_FAILED",
				"The service's logic failed; the failure is logged on the server");
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<Map<String, String>> unexpected(Exception e) {
		log.error("CDS Hooks request failed", e);
		return error(HttpStatus.INTERNAL_SERVER_ERROR, "INTERNAL_ERROR", "Internal error; it is logged on the server");
	}

	private static ResponseEntity<Map<String, String>> error(HttpStatus status, String code, String message) {
		log.info("cds-hooks status={} error={}", status.value(), code);
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", code);
		body.put("message", message);
		return ResponseEntity.status(status).contentType(MediaType.APPLICATION_JSON).body(body);
	}

}
