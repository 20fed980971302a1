package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URI;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Pattern;
import org.critcare.cds.patientdata.FhirServerAccess;
import org.critcare.cds.patientdata.OutboundUrls;
import org.critcare.cds.patientdata.Prefetched;
import org.critcare.cds.recommendation.CardTextParameters;
import org.critcare.cds.recommendation.HookCall;
import org.springframework.stereotype.Component;

/**
 * Reads and validates a CDS Hooks 2.0 service request (§Calling a CDS Service). Malformed
 * JSON, a missing {@code hook}, {@code hookInstance}, {@code context} or
 * {@code context.patientId}, a hook context without what the hook requires,
 * {@code fhirAuthorization} without {@code fhirServer}, or a prefetch value that is not
 * FHIR JSON are rejected with a stable error code. Prefetch ({@link PrefetchParser}) and
 * draft orders ({@link DraftOrders}) are parsed straight from the request's JSON tree,
 * never re-serialized.
 */
@Component
class HookRequestParser {

	private static final Pattern UUID_PATTERN = Pattern
		.compile("[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}");

	private static final Pattern FHIR_ID = Pattern.compile("[A-Za-z0-9\\-.]{1,64}");

	private static final List<String> USER_TOKENS = List.of("userPractitionerId", "userPractitionerRoleId",
			"userPatientId", "userRelatedPersonId");

	private final CdsHooksJson json;

	private final FhirContext fhirContext;

	private final CdsHooksProperties properties;

	private final PrefetchParser prefetchParser;

	HookRequestParser(CdsHooksJson json, FhirContext fhirContext, CdsHooksProperties properties,
			PrefetchParser prefetchParser) {
		this.json = json;
		this.fhirContext = fhirContext;
		this.properties = properties;
		this.prefetchParser = prefetchParser;
	}

	HookRequest parse(String serviceId, byte[] body, String acceptLanguage) {
		return parse(serviceId, body, acceptLanguage, Optional.empty());
	}

	/**
	 * @param allowedFhirServers the {@code fhirServer} bases the authenticated CDS client
	 * may name; empty when security is off (any)
	 */
	HookRequest parse(String serviceId, byte[] body, String acceptLanguage, Optional<List<String>> allowedFhirServers) {
		return parse(serviceId, json.readObject(body), acceptLanguage, allowedFhirServers);
	}

	/**
	 * A {@code patient-view} call for the patient, as an EHR without prefetch or
	 * {@code fhirServer} would make it: its data is read from this server's own store.
	 */
	HookRequest patientView(String serviceId, String patientId, String acceptLanguage) {
		ObjectNode root = JsonNodeFactory.instance.objectNode();
		root.put("hook", "patient-view");
		root.put("hookInstance", UUID.randomUUID().toString());
		root.putObject("context").put("patientId", patientId);
		return parse(serviceId, root, acceptLanguage, Optional.empty());
	}

	private HookRequest parse(String serviceId, JsonNode root, String acceptLanguage,
			Optional<List<String>> allowedFhirServers) {
		String hook = requiredText(root, "hook", CdsHooksError.MISSING_HOOK);
		String hookInstance = requiredText(root, "hookInstance", CdsHooksError.MISSING_HOOK_INSTANCE);
		if (!UUID_PATTERN.matcher(hookInstance).matches()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_HOOK_INSTANCE, "hookInstance must be a UUID");
		}
		JsonNode context = root.get("context");
		if (context == null || !context.isObject()) {
			throw new InvalidHookRequestException(CdsHooksError.MISSING_CONTEXT,
					"context is required and must be an object");
		}
		String patientId = requiredText(context, "patientId", CdsHooksError.MISSING_PATIENT_ID);
		if (!FHIR_ID.matcher(patientId).matches()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
					"context.patientId must be a FHIR id (letters, digits, '-' and '.', at most 64)");
		}
		requireHookContext(hook, context);
		Optional<FhirServerAccess> fhirServer = fhirServer(root);
		fhirServer.ifPresent(server -> requireAllowed(server, allowedFhirServers));
		Map<String, Prefetched> prefetch = prefetchParser.read(root.get("prefetch"));
		DraftOrders orders = DraftOrders.read(hook, context, fhirContext);
		HookCall call = new HookCall(serviceId, hook, patientId, tokens(context), prefetch, fhirServer,
				orders.resources(), orders.cqlParameters(), language(acceptLanguage));
		return new HookRequest(hookInstance, call);
	}

	private static String requiredText(JsonNode node, String field, CdsHooksError code) {
		JsonNode value = node.get(field);
		if (value == null || !value.isTextual() || value.asText().isBlank()) {
			throw new InvalidHookRequestException(code, field + " is required and must be a non-empty string");
		}
		return value.asText();
	}

	/**
	 * CDS Hooks order-select and order-sign carry draft orders; order-select also
	 * selections.
	 */
	private static void requireHookContext(String hook, JsonNode context) {
		if (hook.equals("order-select") || hook.equals("order-sign")) {
			JsonNode draftOrders = context.get("draftOrders");
			if (draftOrders == null || !"Bundle".equals(draftOrders.path("resourceType").asText())) {
				throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
						"context.draftOrders is required for " + hook + " and must be a FHIR Bundle");
			}
		}
		if (hook.equals("order-select") && !context.path("selections").isArray()) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_CONTEXT,
					"context.selections is required for order-select and must be an array");
		}
	}

	private static Optional<FhirServerAccess> fhirServer(JsonNode root) {
		JsonNode server = root.get("fhirServer");
		JsonNode authorization = root.get("fhirAuthorization");
		if (server == null || server.isNull()) {
			if (authorization != null && !authorization.isNull()) {
				throw new InvalidHookRequestException(CdsHooksError.INVALID_FHIR_AUTHORIZATION,
						"fhirAuthorization requires fhirServer");
			}
			return Optional.empty();
		}
		if (!server.isTextual() || OutboundUrls.parse(server.asText()) == null) {
			throw new InvalidHookRequestException(CdsHooksError.INVALID_FHIR_SERVER,
					"fhirServer must be an absolute http(s) URL without user information");
		}
		String token = null;
		if (authorization != null && !authorization.isNull()) {
			JsonNode accessToken = authorization.get("access_token");
			if (!authorization.isObject() || accessToken == null || !accessToken.isTextual()) {
				throw new InvalidHookRequestException(CdsHooksError.INVALID_FHIR_AUTHORIZATION,
						"fhirAuthorization must be an object with an access_token string");
			}
			token = accessToken.asText();
		}
		return Optional.of(new FhirServerAccess(server.asText(), token));
	}

	/**
	 * CDS Hooks 2.0 §Trusting CDS Clients: a client may only send this server to the FHIR
	 * servers it is trusted for, so its calls cannot aim the server (and the
	 * fhirAuthorization token) elsewhere.
	 */
	private static void requireAllowed(FhirServerAccess server, Optional<List<String>> allowedFhirServers) {
		if (allowedFhirServers.isEmpty()) {
			return;
		}
		URI base = OutboundUrls.parse(server.baseUrl());
		boolean allowed = allowedFhirServers.get()
			.stream()
			.map(OutboundUrls::parse)
			.anyMatch(trusted -> trusted != null && OutboundUrls.isUnder(base, trusted));
		if (!allowed) {
			throw new InvalidHookRequestException(CdsHooksError.FHIR_SERVER_NOT_ALLOWED,
					"fhirServer is not one this CDS client is trusted to name (cds.security.cds-clients)");
		}
	}

	/**
	 * The values prefetch tokens may name: the context's primitive fields and the user
	 * tokens.
	 */
	private static Map<String, String> tokens(JsonNode context) {
		Map<String, String> tokens = new HashMap<>();
		context.fields().forEachRemaining(field -> {
			if (field.getValue().isValueNode() && !field.getValue().isNull()) {
				tokens.put("context." + field.getKey(), field.getValue().asText());
			}
		});
		String userId = context.path("userId").asText("");
		int slash = userId.indexOf('/');
		if (slash > 0) {
			String type = userId.substring(0, slash);
			USER_TOKENS.stream()
				.filter(t -> t.equals("user" + type + "Id"))
				.forEach(t -> tokens.put(t, userId.substring(slash + 1)));
		}
		return tokens;
	}

	private String language(String acceptLanguage) {
		return CardTextParameters.language(acceptLanguage, properties.languages(), properties.defaultLanguage());
	}

}
