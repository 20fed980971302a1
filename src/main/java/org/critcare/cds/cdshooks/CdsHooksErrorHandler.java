package org.critcare.cds.cdshooks;

import jakarta.servlet.http.HttpServletRequest;
import java.util.LinkedHashMap;
import java.util.Map;
import org.critcare.cds.cql.CqlEvaluationException;
import org.critcare.cds.feedback.InvalidFeedbackException;
import org.critcare.cds.patientdata.DataUnavailableException;
import org.critcare.cds.recommendation.UnknownServiceException;
import org.critcare.cds.recommendation.UnsupportedHookException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

/**
 * The one place where CDS Hooks errors become HTTP answers (CONTRACT "Errors"): a JSON
 * body {@code {"error": "<stable code>", "message": "<text>"}} with the status of its
 * {@link CdsHooksError}, never a stack trace or patient data. The body is JSON whatever
 * the request's Accept header says.
 */
@RestControllerAdvice(assignableTypes = { CdsHooksController.class, AppCardsController.class })
class CdsHooksErrorHandler {

	private static final Logger log = LoggerFactory.getLogger("critcare.cds-hooks");

	private final CdsHooksJson json;

	private final HookMetrics metrics;

	CdsHooksErrorHandler(CdsHooksJson json, HookMetrics metrics) {
		this.json = json;
		this.metrics = metrics;
	}

	@ExceptionHandler(InvalidHookRequestException.class)
	ResponseEntity<byte[]> invalid(InvalidHookRequestException e, HttpServletRequest http) {
		return error(http, e.error(), e.getMessage());
	}

	@ExceptionHandler(InvalidFeedbackException.class)
	ResponseEntity<byte[]> invalidFeedback(InvalidFeedbackException e, HttpServletRequest http) {
		return error(http, CdsHooksError.INVALID_FEEDBACK, e.getMessage());
	}

	@ExceptionHandler(UnknownServiceException.class)
	ResponseEntity<byte[]> unknownService(UnknownServiceException e, HttpServletRequest http) {
		return error(http, CdsHooksError.UNKNOWN_SERVICE, e.getMessage());
	}

	@ExceptionHandler(UnsupportedHookException.class)
	ResponseEntity<byte[]> unsupportedHook(UnsupportedHookException e, HttpServletRequest http) {
		return error(http, CdsHooksError.UNSUPPORTED_HOOK, e.getMessage());
	}

	@ExceptionHandler(DataUnavailableException.class)
	ResponseEntity<byte[]> dataUnavailable(DataUnavailableException e, HttpServletRequest http) {
		return error(http, CdsHooksError.DATA_UNAVAILABLE, e.getMessage());
	}

	@ExceptionHandler(CqlEvaluationException.class)
	ResponseEntity<byte[]> evaluation(CqlEvaluationException e, HttpServletRequest http) {
		log.error("CDS rule evaluation failed", e);
		return error(http, CdsHooksError.EVALUATION_FAILED,
				"The service's logic failed; the failure is logged on the server");
	}

	@ExceptionHandler(Exception.class)
	ResponseEntity<byte[]> unexpected(Exception e, HttpServletRequest http) {
		log.error("CDS Hooks request failed", e);
		return error(http, CdsHooksError.INTERNAL_ERROR, "Internal error; it is logged on the server");
	}

	private ResponseEntity<byte[]> error(HttpServletRequest http, CdsHooksError error, String message) {
		metrics.failed(http, error);
		log.info("cds-hooks status={} error={}", error.status().value(), error);
		Map<String, String> body = new LinkedHashMap<>();
		body.put("error", error.name());
		body.put("message", message);
		return ResponseEntity.status(error.status()).contentType(MediaType.APPLICATION_JSON).body(json.write(body));
	}

}
