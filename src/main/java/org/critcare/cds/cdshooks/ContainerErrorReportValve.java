package org.critcare.cds.cdshooks;

import java.io.IOException;
import java.io.Writer;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.UnaryOperator;
import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;
import org.apache.coyote.ActionCode;

/**
 * Errors that Tomcat answers itself, before any servlet runs (a URL with an encoded
 * slash, backslash or NUL, bytes that are not UTF-8, headers over the size limit), in the
 * shapes of the paths they were sent to: the CDS Hooks error body under
 * {@code /cds-services} (CONTRACT: every answer there has it), an OperationOutcome under
 * {@code /fhir}, instead of Tomcat's HTML page, readable by the pages of the origins that
 * may read the server's other answers (CORS). Anything else keeps Tomcat's report.
 */
public class ContainerErrorReportValve extends ErrorReportValve {

	private static final Map<Integer, CdsHooksError> CODES = Map.of(400, CdsHooksError.MALFORMED_REQUEST, 404,
			CdsHooksError.NOT_FOUND, 405, CdsHooksError.METHOD_NOT_ALLOWED);

	private static final Map<Integer, String> MESSAGES = Map.of(400,
			"The request is refused before it reaches a service: an encoded slash, backslash or NUL in the URL, "
					+ "bytes that are not UTF-8, or headers over the size limit",
			404, "No such path", 405, "The method is not allowed here");

	private static final Map<Integer, String> ISSUE_TYPES = Map.of(400, "invalid", 404, "not-found", 405,
			"not-supported");

	private final UnaryOperator<String> allowOrigin;

	/** Without CORS headers: for Tomcat, which makes its error report by class name. */
	public ContainerErrorReportValve() {
		this(origin -> null);
	}

	/**
	 * @param allowOrigin the {@code Access-Control-Allow-Origin} value for a request's
	 * {@code Origin}, {@code null} for none
	 */
	public ContainerErrorReportValve(UnaryOperator<String> allowOrigin) {
		this.allowOrigin = allowOrigin;
	}

	@Override
	protected void report(Request request, Response response, Throwable throwable) {
		int status = response.getStatus();
		String path = String.valueOf(request.getCoyoteRequest().requestURI().toString());
		boolean cdsHooks = path.startsWith("/cds-services");
		boolean fhir = path.startsWith("/fhir");
		if (!CODES.containsKey(status) || !(cdsHooks || fhir) || response.getContentWritten() > 0) {
			super.report(request, response, throwable);
			return;
		}
		AtomicBoolean ioAllowed = new AtomicBoolean(true);
		response.getCoyoteResponse().action(ActionCode.IS_IO_ALLOWED, ioAllowed);
		if (!ioAllowed.get()) {
			return;
		}
		String body = cdsHooks
				? "{\"error\":\"" + CODES.get(status).name() + "\",\"message\":\"" + MESSAGES.get(status) + "\"}"
				: "{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\""
						+ ISSUE_TYPES.get(status) + "\",\"diagnostics\":\"" + MESSAGES.get(status) + "\"}]}";
		try {
			String allowed = allowOrigin.apply(request.getHeader("Origin"));
			if (allowed != null) {
				response.setHeader("Access-Control-Allow-Origin", allowed);
				response.addHeader("Vary", "Origin");
			}
			response.setContentType(cdsHooks ? "application/json" : "application/fhir+json");
			response.setCharacterEncoding("UTF-8");
			Writer writer = response.getReporter();
			if (writer != null) {
				writer.write(body);
				response.finishResponse();
			}
		}
		catch (IOException | IllegalStateException e) {
			// the client is gone, or the response was committed meanwhile: nothing to
			// report to
		}
	}

}
