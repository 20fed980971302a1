package org.critcare.cds.fhir;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.interceptor.api.Hook;
import ca.uhn.fhir.interceptor.api.Interceptor;
import ca.uhn.fhir.interceptor.api.Pointcut;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.rest.api.RequestTypeEnum;
import ca.uhn.fhir.rest.api.server.RequestDetails;
import ca.uhn.fhir.rest.server.exceptions.InvalidRequestException;
import ca.uhn.fhir.rest.server.exceptions.PayloadTooLargeException;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.core.exc.StreamReadException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import org.critcare.cds.limits.RequestLimits;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Parameters;
import org.springframework.stereotype.Component;

/**
 * Guards the FHIR endpoint against requests that would cost the server more than any
 * client should be able to ask of it (issue 8 §4, §5): a batch or transaction Bundle with
 * more entries than {@code cds.limits.max-bundle-entries} (413), and the
 * {@code dataEndpoint}, {@code contentEndpoint} and {@code terminologyEndpoint}
 * parameters of the clinical-reasoning operations, which would make the server read any
 * URL a client names (400 unless {@code cds.fhir.allow-remote-endpoints} is on), and a
 * {@code $validate} body that repeats a JSON key (400). A JSON resource written (POST,
 * PUT) with content HAPI's lenient parser would drop is refused (400), so that what is
 * acknowledged is what was sent.
 */
@Component
@Interceptor
public class FhirRequestGuard {

	private static final Set<String> ENDPOINT_PARAMETERS = Set.of("dataEndpoint", "contentEndpoint",
			"terminologyEndpoint");

	private static final JsonFactory DUPLICATE_DETECTING = JsonFactory.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final RequestLimits limits;

	private final FhirServerProperties properties;

	private final FhirContext fhirContext;

	FhirRequestGuard(RequestLimits limits, FhirServerProperties properties, FhirContext fhirContext) {
		this.limits = limits;
		this.properties = properties;
		this.fhirContext = fhirContext;
	}

	@Hook(Pointcut.SERVER_INCOMING_REQUEST_POST_PROCESSED)
	public boolean check(RequestDetails request) {
		String operation = request.getOperation();
		RequestTypeEnum method = request.getRequestType();
		boolean isSystemPost = method == RequestTypeEnum.POST && request.getResourceName() == null && operation == null;
		// every resource sent is parsed here, so that nothing in it is dropped unseen
		// ($validate reports such content in its OperationOutcome instead)
		IBaseResource body = (method == RequestTypeEnum.POST || method == RequestTypeEnum.PUT)
				&& !"$validate".equals(operation) ? body(request) : null;
		if (isSystemPost) {
			requireFewEntries(body);
		}
		if (operation != null && !properties.allowRemoteEndpoints()) {
			requireNoEndpointParameters(request, body);
		}
		if ("$validate".equals(operation) && request.getRequestType() == RequestTypeEnum.POST) {
			requireNoDuplicateKeys(request.loadRequestContents());
		}
		return true;
	}

	/**
	 * A JSON body with a key twice in one object is not FHIR JSON. The validator's own
	 * JSON reader checks each key against all earlier ones of its object, so a body of
	 * repeated keys within the size limit would cost minutes of CPU (200,000 keys: 3
	 * minutes); it is refused after one linear pass.
	 */
	private static void requireNoDuplicateKeys(byte[] content) {
		if (content == null || content.length == 0
				|| !new String(content, 0, Math.min(content.length, 64), StandardCharsets.UTF_8).stripLeading()
					.startsWith("{")) {
			return;
		}
		try (JsonParser parser = DUPLICATE_DETECTING.createParser(content)) {
			while (parser.nextToken() != null) {
				// reading every token is the check
			}
		}
		catch (StreamReadException e) {
			if (String.valueOf(e.getOriginalMessage()).startsWith("Duplicate field")) {
				throw new InvalidRequestException("The body repeats a JSON key within one object: not FHIR JSON");
			}
			// HAPI answers a body it cannot parse with 400 itself
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private void requireFewEntries(IBaseResource body) {
		if (body instanceof Bundle bundle && bundle.getEntry().size() > limits.maxBundleEntries()) {
			throw new PayloadTooLargeException("A batch or transaction may hold at most " + limits.maxBundleEntries()
					+ " entries (cds.limits.max-bundle-entries); this one holds " + bundle.getEntry().size());
		}
	}

	private void requireNoEndpointParameters(RequestDetails request, IBaseResource body) {
		boolean inQuery = request.getParameters().keySet().stream().anyMatch(ENDPOINT_PARAMETERS::contains);
		boolean inBody = request.getRequestType() == RequestTypeEnum.POST && body instanceof Parameters parameters
				&& parameters.getParameter().stream().anyMatch(p -> ENDPOINT_PARAMETERS.contains(p.getName()));
		if (inQuery || inBody) {
			throw new InvalidRequestException("This server does not read remote endpoints named in a request "
					+ "(dataEndpoint, contentEndpoint, terminologyEndpoint); store the data here or call the "
					+ "CDS Hooks service with fhirServer");
		}
	}

	/**
	 * The request body as a FHIR resource, or null when there is none or it does not
	 * parse; 400 when it is JSON that HAPI would store only in part
	 * ({@link NothingDroppedErrorHandler}).
	 */
	private IBaseResource body(RequestDetails request) {
		byte[] content = request.loadRequestContents();
		if (content == null || content.length == 0) {
			return null;
		}
		try {
			String text = new String(content, StandardCharsets.UTF_8);
			String start = text.stripLeading();
			if (start.startsWith("<")) {
				return fhirContext.newXmlParser().parseResource(text);
			}
			return start.startsWith("{") ? fhirContext.newJsonParser()
				.setParserErrorHandler(NothingDroppedErrorHandler.STORED)
				.parseResource(text) : null;
		}
		catch (NothingDroppedErrorHandler.ElementDroppedException e) {
			throw new InvalidRequestException("The body would not be stored as sent: " + e.getMessage());
		}
		catch (DataFormatException | ClassCastException notFhir) {
			// HAPI answers a body it cannot parse with 400 itself
			return null;
		}
	}

}
