package org.critcare.cds.cdshooks;

import jakarta.servlet.http.HttpServletRequest;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.List;
import org.critcare.cds.fhir.FhirServerProperties;
import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * The HTTP side of a CDS Hooks request (CDS Hooks 2.0 §Calling a CDS Service, CONTRACT
 * "Errors"): answers are JSON, so an Accept header must admit {@code application/json}
 * (else 406); a POST body must be {@code application/json}, UTF-8 when a charset is named
 * (else 415: a form or text body would let any web page post cross-site without a
 * preflight), and no larger than {@code cds.limits.max-request-size} (else 413).
 */
final class CdsHooksRequests {

	private CdsHooksRequests() {
	}

	/**
	 * @throws InvalidHookRequestException (NOT_ACCEPTABLE) when the Accept headers
	 * exclude JSON; an Accept header that cannot be parsed is ignored
	 */
	static void requireJsonAccepted(HttpServletRequest request) {
		List<String> accept = Collections.list(request.getHeaders("Accept"));
		if (accept.isEmpty()) {
			return;
		}
		List<MediaType> acceptable;
		try {
			acceptable = MediaType.parseMediaTypes(accept);
		}
		catch (InvalidMediaTypeException e) {
			return;
		}
		boolean json = acceptable.stream()
			.anyMatch(type -> type.includes(MediaType.APPLICATION_JSON) && type.getQualityValue() > 0);
		if (!acceptable.isEmpty() && !json) {
			throw new InvalidHookRequestException(CdsHooksError.NOT_ACCEPTABLE,
					"CDS Hooks answers are application/json; the Accept header excludes it");
		}
	}

	/**
	 * The body of a POST, after checking its Content-Type and size.
	 * @throws InvalidHookRequestException UNSUPPORTED_MEDIA_TYPE or PAYLOAD_TOO_LARGE
	 */
	static byte[] jsonBody(HttpServletRequest request, long maxBytes) {
		requireJsonContent(request.getContentType());
		if (request.getContentLengthLong() > maxBytes) {
			throw tooLarge(maxBytes);
		}
		try {
			byte[] body = request.getInputStream().readNBytes((int) Math.min(Integer.MAX_VALUE - 8, maxBytes + 1));
			if (body.length > maxBytes) {
				throw tooLarge(maxBytes);
			}
			return body;
		}
		catch (IOException e) {
			throw new UncheckedIOException("Cannot read the request body", e);
		}
	}

	/**
	 * This server's FHIR base as cards link to it: {@code cds.fhir.server-address}, else
	 * the port this server listens on, on localhost; never from the request's Host
	 * header, which the caller controls.
	 */
	static String fhirBase(HttpServletRequest request, FhirServerProperties fhirServer) {
		if (!fhirServer.serverAddress().isBlank()) {
			return fhirServer.serverAddress().replaceAll("/+$", "");
		}
		return "http://localhost:" + request.getLocalPort() + request.getContextPath() + "/fhir";
	}

	private static void requireJsonContent(String contentType) {
		MediaType type;
		try {
			type = contentType == null ? null : MediaType.parseMediaType(contentType);
		}
		catch (InvalidMediaTypeException e) {
			type = null;
		}
		boolean json = type != null && type.getType().equals("application") && type.getSubtype().equals("json")
				&& (type.getCharset() == null || type.getCharset().equals(StandardCharsets.UTF_8));
		if (!json) {
			throw new InvalidHookRequestException(CdsHooksError.UNSUPPORTED_MEDIA_TYPE,
					"CDS Hooks requests must be sent as Content-Type: application/json");
		}
	}

	private static InvalidHookRequestException tooLarge(long maxBytes) {
		return new InvalidHookRequestException(CdsHooksError.PAYLOAD_TOO_LARGE,
				"The request body is larger than " + maxBytes + " bytes");
	}

}
