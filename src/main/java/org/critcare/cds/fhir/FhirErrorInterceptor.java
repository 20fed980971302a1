package org.critcare.cds.fhir;

import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.BaseServerResponseException;
import ca.uhn.fhir.rest.server.exceptions.InternalErrorException;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PreconditionFailedException;
import ca.uhn.fhir.rest.server.exceptions.ResourceNotFoundException;
import ca.uhn.fhir.rest.server.exceptions.ResourceVersionConflictException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.regex.Pattern;
import org.hl7.fhir.exceptions.FHIRFormatError;
import org.hl7.fhir.instance.model.api.IBaseOperationOutcome;
import org.hl7.fhir.r4.fhirpath.FHIRLexer;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.springframework.stereotype.Component;

/**
 * FHIR errors describe the request's fault, never the implementation (CONTRACT "Errors"):
 * bad paging parameters, percent escapes, parameter values and lone surrogates are 400, a
 * stale {@code If-Match} is 412 (FHIR R4 §3.1.0.8.1 Managing Resource Contention), a
 * {@code $apply} or {@code $evaluate} without a subject is 400 and one naming a
 * PlanDefinition or Library that is not stored 404; any other failure is 500 with a
 * generic text (HAPI logs it), and no diagnostics name a Java class or a SQL column.
 */
@Component
class FhirErrorInterceptor {

	static final String INTERNAL_ERROR = "Internal error; it is logged on the server";

	static final String NOT_PROCESSABLE = "The request cannot be processed as given";

	private static final Set<String> CLINICAL_REASONING = Set.of("$apply", "$evaluate");

	private static final List<String> PAGING_PARAMETERS = List.of("_offset", "_count");

	private static final Pattern PAGING_VALUE = Pattern.compile("\\d{1,9}");

	/**
	 * A \\uD800-\\uDBFF escape not followed by a low one, or a low one not after a high
	 * one.
	 */
	private static final Pattern LONE_SURROGATE = Pattern.compile(
			"(?i)\\\\ud[89ab][0-9a-f]{2}(?!\\\\ud[c-f][0-9a-f]{2})|(?<!\\\\ud[89ab][0-9a-f]{2})\\\\ud[c-f][0-9a-f]{2}");

	/**
	 * Fully qualified Java names, exception names, SQL table or column names, and a Java
	 * method quoted in a parser's message
	 * ({@code `StreamReadConstraints.getMaxNestingDepth()`}).
	 */
	private static final Pattern INTERNAL_NAME = Pattern.compile("\\b(?:[a-z_][a-z0-9_]*\\.){2,}[A-Z]\\w*"
			+ "|\\w+(?:Exception|Error)\\b|\\bSQL|\\b[A-Z][A-Z0-9]*_[A-Z0-9_]+\\b|\\bjava\\.|\\bcould not execute"
			+ "|`[A-Za-z]\\w*\\.\\w+\\(\\)`");

	@Hook(Pointcut.SERVER_PRE_PROCESS_OUTGOING_EXCEPTION)
	public BaseServerResponseException translate(RequestDetails request, Throwable exception) {
		if (exception instanceof ResourceVersionConflictException && request.getHeader("If-Match") != null) {
			return new PreconditionFailedException(
					"The resource has changed: its current version is not the one named in If-Match");
		}
		if (request.getOperation() != null && CLINICAL_REASONING.contains(request.getOperation())) {
			BaseServerResponseException clientFault = clinicalReasoningFault(exception, request.getResourceName());
			if (clientFault != null) {
				return clientFault;
			}
		}
		BaseServerResponseException unparseable = unparseableInput(exception);
		if (unparseable != null) {
			return unparseable;
		}
		if (!(exception instanceof BaseServerResponseException response) || response.getStatusCode() >= 500) {
			BaseServerResponseException badInput = badInput(request);
			return badInput != null ? badInput : new InternalErrorException(INTERNAL_ERROR, exception);
		}
		if (response.getOperationOutcome() == null && isInternal(response.getMessage())) {
			return BaseServerResponseException.newInstance(response.getStatusCode(), NOT_PROCESSABLE);
		}
		return null;
	}

	@Hook(Pointcut.SERVER_OUTGOING_FAILURE_OPERATIONOUTCOME)
	public void scrub(IBaseOperationOutcome outcome) {
		if (outcome instanceof OperationOutcome r4) {
			r4.getIssue()
				.stream()
				.filter(issue -> isInternal(issue.getDiagnostics()))
				.forEach(issue -> issue.setDiagnostics(NOT_PROCESSABLE));
		}
	}

	/**
	 * clinical-reasoning reports a missing parameter, or no (or several) ways of naming
	 * the artifact, as IllegalArgumentException, and an artifact it cannot find as
	 * NullPointerException "Unable to resolve &lt;type&gt;".
	 */
	private static BaseServerResponseException clinicalReasoningFault(Throwable exception, String type) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			String message = cause.getMessage() == null ? "" : cause.getMessage();
			if (cause instanceof IllegalArgumentException) {
				return new InvalidRequestException(message.startsWith("Missing required parameter") ? message
						: "Name the " + type + " in exactly one way: an id in the path, a url or canonical parameter, "
								+ "or the resource itself");
			}
			if (cause instanceof NullPointerException && message.startsWith("Unable to resolve ")) {
				return new ResourceNotFoundException(
						"No stored " + type + " has the id, url or canonical the request names");
			}
			if (cause == cause.getCause()) {
				break;
			}
		}
		return null;
	}

	/**
	 * A URL that is not validly percent-encoded, a parameter value HAPI's parser rejects
	 * (a date of 400 digits), a narrative that is not XHTML in a {@code div}, or a
	 * FHIRPath expression that does not parse (a PATCH path) is the request's fault.
	 */
	private static BaseServerResponseException unparseableInput(Throwable exception) {
		for (Throwable cause = exception; cause != null; cause = cause.getCause()) {
			if (cause instanceof DataFormatException || cause instanceof FHIRFormatError
					|| cause instanceof FHIRLexer.FHIRLexerException) {
				return new InvalidRequestException(
						isInternal(cause.getMessage()) ? NOT_PROCESSABLE : cause.getMessage());
			}
			if (cause instanceof IllegalArgumentException
					&& String.valueOf(cause.getMessage()).startsWith("URLDecoder")) {
				return new InvalidRequestException(
						"The request URL is not validly percent-encoded (a % must be followed "
								+ "by two hexadecimal digits; send a literal % as %25)");
			}
			if (cause == cause.getCause()) {
				break;
			}
		}
		return null;
	}

	/**
	 * What in a request that failed inside HAPI or the database was the request's fault:
	 * paging parameters that are not non-negative whole numbers, or a body with a lone
	 * UTF-16 surrogate (not Unicode text).
	 */
	private static BaseServerResponseException badInput(RequestDetails request) {
		for (String name : PAGING_PARAMETERS) {
			String[] values = request.getParameters().get(name);
			if (values != null && (values.length != 1 || !PAGING_VALUE.matcher(values[0]).matches())) {
				return new InvalidRequestException(name + " must be a non-negative whole number below 10^9");
			}
		}
		byte[] body = request.loadRequestContents();
		if (body != null && LONE_SURROGATE.matcher(new String(body, StandardCharsets.UTF_8)).find()) {
			return new InvalidRequestException(
					"The body contains a lone UTF-16 surrogate (\\uD800-\\uDFFF without its pair): not Unicode text");
		}
		return null;
	}

	static boolean isInternal(String text) {
		return text != null && INTERNAL_NAME.matcher(text).find();
	}

}
