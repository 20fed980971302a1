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
 * URL a client names (400 unless {@code cds.fhir.allow-remote-endpoints} is on).
 */
@Component
@Interceptor
public class FhirRequestGuard {

	private static final Set<String> ENDPOINT_PARAMETERS = Set.of("dataEndpoint", "contentEndpoint",
			"terminologyEndpoint");

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
		boolean isSystemPost = request.getRequestType() == RequestTypeEnum.POST && request.getResourceName() == null
				&& operation == null;
		if (isSystemPost) {
			requireFewEntries(body(request));
		}
		if (operation != null && !properties.allowRemoteEndpoints()) {
			requireNoEndpointParameters(request);
		}
		return true;
	}

	private void requireFewEntries(IBaseResource body) {
		if (body instanceof Bundle bundle && bundle.getEntry().size() > limits.maxBundleEntries()) {
			throw new PayloadTooLargeException("A batch or transaction may hold at most " + limits.maxBundleEntries()
					+ " entries (cds.limits.max-bundle-entries); this one holds " + bundle.getEntry().size());
		}
	}

	private void requireNoEndpointParameters(RequestDetails request) {
		boolean inQuery = request.getParameters().keySet().stream().anyMatch(ENDPOINT_PARAMETERS::contains);
		boolean inBody = request.getRequestType() == RequestTypeEnum.POST
				&& body(request) instanceof Parameters parameters
				&& parameters.getParameter().stream().anyMatch(p -> ENDPOINT_PARAMETERS.contains(p.getName()));
		if (inQuery || inBody) {
			throw new InvalidRequestException("This server does not read remote endpoints named in a request "
					+ "(dataEndpoint, contentEndpoint, terminologyEndpoint); store the data here or call the "
					+ "CDS Hooks service with fhirServer");
		}
	}

	/**
	 * The request body as a FHIR resource, or null when there is none or it does not
	 * parse.
	 */
	private IBaseResource body(RequestDetails request) {
		byte[] content = request.loadRequestContents();
		if (content == null || content.length == 0) {
			return null;
		}
		try {
			String text = new String(content, StandardCharsets.UTF_8);
			return text.stripLeading().startsWith("<") ? fhirContext.newXmlParser().parseResource(text)
					: fhirContext.newJsonParser().parseResource(text);
		}
		catch (DataFormatException | ClassCastException notFhir) {
			// HAPI answers a body it cannot parse with 400 itself
			return null;
		}
	}

}
