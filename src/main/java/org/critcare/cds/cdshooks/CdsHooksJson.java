package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IJsonLikeParser;
import ca.uhn.fhir.parser.json.jackson.JacksonStructure;
import ca.uhn.fhir.serializer.FhirResourceSerializer;
import com.fasterxml.jackson.annotation.JsonInclude;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.module.SimpleModule;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import org.critcare.cds.fhir.NothingDroppedErrorHandler;
import org.hl7.fhir.exceptions.FHIRException;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.springframework.stereotype.Component;

/**
 * JSON for the CDS Hooks endpoints. Decimals are read exactly (FHIR decimals keep their
 * precision), a body with anything after its JSON value is malformed, and absent values
 * are omitted, as CDS Hooks requires (no {@code null} fields). FHIR resources (a
 * suggestion's proposed resource) are written as FHIR JSON.
 */
@Component
class CdsHooksJson {

	private final ObjectMapper mapper;

	CdsHooksJson(FhirContext fhirContext) {
		this.mapper = new ObjectMapper()
			.enable(DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS, DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
			.setSerializationInclusion(JsonInclude.Include.NON_NULL)
			.registerModule(new SimpleModule().addSerializer(new FhirResourceSerializer(fhirContext)));
	}

	/**
	 * The body as a JSON object.
	 * @throws InvalidHookRequestException (MALFORMED_JSON) when it is not a JSON object
	 */
	JsonNode readObject(byte[] body) {
		JsonNode root;
		try {
			root = body == null || body.length == 0 ? null : mapper.readTree(body);
		}
		catch (IOException e) {
			throw new InvalidHookRequestException(CdsHooksError.MALFORMED_JSON, "The request body is not valid JSON");
		}
		if (root == null || !root.isObject()) {
			throw new InvalidHookRequestException(CdsHooksError.MALFORMED_JSON,
					"The request body must be a JSON object");
		}
		return root;
	}

	/**
	 * A FHIR resource read straight from a node of the request's JSON tree, never
	 * re-serialized.
	 * @throws ca.uhn.fhir.parser.DataFormatException when it is not a valid FHIR R4
	 * resource (a narrative that is not XHTML in a {@code div} included), or has content
	 * parsing would leave out ({@link NothingDroppedErrorHandler#EVALUATED})
	 */
	static IBaseResource fhirResource(ObjectNode node, FhirContext fhirContext) {
		JacksonStructure structure = new JacksonStructure();
		structure.setNativeObject(node);
		try {
			return ((IJsonLikeParser) fhirContext.newJsonParser()
				.setParserErrorHandler(NothingDroppedErrorHandler.EVALUATED)).parseResource(structure);
		}
		catch (FHIRException e) {
			throw new DataFormatException("Not a valid FHIR R4 resource", e);
		}
		catch (RuntimeException e) {
			// HAPI's narrative parsing wraps the FHIRFormatError of a div it cannot read
			if (e.getCause() instanceof FHIRException) {
				throw new DataFormatException("Not a valid FHIR R4 resource", e);
			}
			throw e;
		}
	}

	byte[] write(Object value) {
		try {
			return mapper.writeValueAsBytes(value);
		}
		catch (JsonProcessingException e) {
			throw new IllegalStateException("Cannot serialize a CDS Hooks response", e);
		}
	}

}
