package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * A seeded, bounded fuzz of every CDS Hooks endpoint and of {@code /fhir} (issue 14 §4):
 * truncated and malformed JSON, wrong types in every field, huge and deeply nested
 * bodies, wrong content types, prefetch of the wrong resource type and huge Bundles, odd
 * {@code fhirServer} URLs and odd headers. Every answer is a 2xx or a 4xx in the
 * documented error shape, never with a stack trace, class name or SQL; nothing but the
 * accepted feedback is stored; and the server answers normally afterwards.
 */
@CdsServerTest
class FuzzIT {

	private static final int REQUESTS = 2_000;

	private static final long SEED = 14;

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final JsonNodeFactory NODES = JsonNodeFactory.instance;

	/**
	 * Resource types whose counts must not change (AuditEvent only by accepted feedback).
	 */
	private static final List<String> COUNTED = List.of("Patient", "Observation", "Condition",
			"MedicationAdministration", "MedicationRequest", "ServiceRequest", "Procedure", "PlanDefinition", "Library",
			"ValueSet", "CodeSystem", "Evidence", "AuditEvent");

	private static final List<String> LEAKS = List.of("\tat ", "Exception", "org.hibernate", "java.lang", "java.util",
			"HFJ_", "SQL", "jdbc", "ca.uhn.fhir.", "org.springframework");

	private static final List<String> FHIR_SERVERS = List.of("ftp://127.0.0.1/fhir", "http://user:pw@127.0.0.1:1/fhir",
			"javascript:alert(1)", "http://[::1", "http://127.0.0.1:1/fhir", "", "relative/fhir", "http://",
			"https://127.0.0.1:1/" + "a".repeat(5_000), "file:///etc/passwd", "HTTP://127.0.0.1:1/FHIR?x=%zz");

	private static final List<String> CONTENT_TYPES = List.of("text/plain", "application/xml",
			"multipart/form-data; boundary=x", "application/x-www-form-urlencoded", "application/json; charset=utf-16",
			"application/json; charset=nonsense", "*/*", "application/fhir+json", "");

	@LocalServerPort
	int port;

	private Http http;

	private Random random;

	private final List<String> failures = new ArrayList<>();

	private int acceptedFeedback;

	@Test
	void twoThousandGeneratedRequestsAreAnsweredWith2xxOr4xxInTheDocumentedShapeAndStoreNothingRejected() {
		http = new Http(port);
		random = new Random(SEED);
		Map<String, List<String>> services = services();
		assertThat(services).isNotEmpty();
		Map<String, Integer> before = counts();
		Map<String, Integer> byEndpoint = new LinkedHashMap<>();
		for (int i = 0; i < REQUESTS; i++) {
			int pick = random.nextInt(100);
			String endpoint = pick < 5 ? discovery()
					: pick < 55 ? serviceCall(services) : pick < 75 ? feedback(services) : fhir();
			byEndpoint.merge(endpoint, 1, Integer::sum);
		}
		Map<String, Integer> after = counts();
		System.out.println("fuzz: " + REQUESTS + " requests " + byEndpoint + ", " + acceptedFeedback
				+ " feedback entries accepted");
		assertThat(failures).as("answers outside the contract").isEmpty();
		Map<String, Integer> expected = new LinkedHashMap<>(before);
		expected.merge("AuditEvent", acceptedFeedback, Integer::sum);
		assertThat(after).as("stored resources per type").isEqualTo(expected);
		assertThat(http.get("/actuator/health/readiness").status()).isEqualTo(200);
		String service = services.keySet().iterator().next();
		Http.Response normal = http.post("/cds-services/" + service, hookRequest(services.get(service).get(0)), json());
		assertThat(normal.status()).as(normal.body()).isEqualTo(200);
	}

	private String discovery() {
		Map<String, String> headers = new LinkedHashMap<>();
		headers.put("Accept", pick(List.of("text/html", "application/json", "*/*", "application/xml;q=1, */*;q=0",
				"garbage/", ";;;", "application/json;q=0")));
		if (random.nextBoolean()) {
			headers.put("Accept-Language", pick(List.of("ja", "xx-YY", "*", ";q=x", "a".repeat(300))));
		}
		check("/cds-services", http.send("GET", "/cds-services", null, headers), true);
		return "discovery";
	}

	private String serviceCall(Map<String, List<String>> services) {
		boolean unknown = random.nextInt(20) == 0;
		String service = unknown ? "fuzz-unknown-" + random.nextInt(3) : pick(new ArrayList<>(services.keySet()));
		String hook = unknown ? "patient-view" : pick(services.get(service));
		ObjectNode request = (ObjectNode) parse(hookRequest(hook));
		send("/cds-services/" + service, request, true);
		return "service";
	}

	private String feedback(Map<String, List<String>> services) {
		String service = pick(new ArrayList<>(services.keySet()));
		ObjectNode request = (ObjectNode) parse("""
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"2026-11-21T10:00:00Z"}]}"""
			.formatted(UUID.randomUUID()));
		int status = send("/cds-services/" + service + "/feedback", request, false);
		if (status == 200) {
			acceptedFeedback++;
		}
		return "feedback";
	}

	/**
	 * Sends a mutated request (or the request unchanged with odd headers) and checks the
	 * answer.
	 */
	private int send(String path, ObjectNode request, boolean mutateFreely) {
		Map<String, String> headers = new LinkedHashMap<>(json());
		String body;
		int mutation = random.nextInt(10);
		switch (mutation) {
			case 0 -> body = truncated(request.toString());
			case 1 -> body = nested(random.nextInt(3) == 0 ? 20_000 : 1_500);
			case 2 -> body = huge(request);
			case 3 -> {
				body = request.toString();
				headers.put("Content-Type", pick(CONTENT_TYPES));
			}
			case 4 -> {
				body = request.toString();
				headers.put(pick(List.of("Accept", "Accept-Language", "X-Forwarded-Host", "Authorization", "Origin")),
						pick(List.of("text/html", "\u00e9\u00e8", "Bearer x", "null", "a".repeat(2_000),
								"http://evil")));
			}
			case 5 -> body = withPrefetch(request).toString();
			case 6 -> body = withFhirServer(request).toString();
			default -> body = wrongType(request, mutateFreely).toString();
		}
		Http.Response response;
		try {
			response = http.post(path, body, headers);
		}
		catch (RuntimeException e) {
			failures.add(path + " mutation " + mutation + ": no answer (" + e.getClass().getSimpleName() + ")");
			return -1;
		}
		check(path + " mutation " + mutation, response, true);
		return response.status();
	}

	private String fhir() {
		int kind = random.nextInt(8);
		Map<String, String> headers = Map.of("Content-Type", "application/fhir+json");
		String patient = "{\"resourceType\":\"Patient\",\"id\":\"fuzz-" + random.nextInt(1000)
				+ "\",\"gender\":\"female\"}";
		Http.Response response = switch (kind) {
			case 0 -> http.post("/fhir/Patient", truncated(patient), headers);
			case 1 -> http.post("/fhir", truncated(transaction(patient)), headers);
			case 2 -> http.send("PUT", "/fhir/Patient/fuzz-n", nested(random.nextBoolean() ? 1_500 : 20_000), headers);
			case 3 -> http.post("/fhir/Patient", patient.replace("\"Patient\"",
					pick(List.of("5", "null", "[]", "{}", "\"Nope\"", "\"Observation\""))), headers);
			case 4 -> http.post("/fhir/Observation", patient, headers);
			case 5 -> http.post("/fhir/Patient", "x".repeat(1_100_000), headers);
			case 6 -> http.post("/fhir", transaction(patient.repeat(1).replace("fuzz-", "fuzz-t-"), 501), headers);
			default -> http.get("/fhir/" + pick(List.of("Observation?date=garbage", "Observation?_count=-1",
					"Patient?_sort=nonsense", "Observation?subject=", "Patient?_has:Foo:bar:baz=1",
					"Observation?code=%25%25", "Nope?x=1", "Observation?value-quantity=abc", "Patient/%2E%2E",
					"Observation?_include=*:*", "Patient?birthdate=ge2020-13-45")));
		};
		check("/fhir kind " + kind, response, false);
		if (kind != 7 && response.status() < 300) {
			failures.add("/fhir kind " + kind + ": an invalid write was accepted with " + response.status());
		}
		return "fhir";
	}

	private void check(String what, Http.Response response, boolean cdsHooks) {
		int status = response.status();
		if (status >= 500 || status < 200) {
			failures.add(what + ": " + status + " " + abbreviated(response.body()));
			return;
		}
		for (String leak : LEAKS) {
			if (response.body() != null && response.body().contains(leak)) {
				failures.add(what + ": " + status + " answer names the implementation (" + leak + "): "
						+ abbreviated(response.body()));
			}
		}
		if (status < 300) {
			return;
		}
		JsonNode body = response.json();
		if (cdsHooks) {
			boolean shape = body != null && body.size() == 2 && body.path("message").isTextual()
					&& body.path("error").isTextual();
			CdsHooksError error = shape ? error(body.path("error").asText()) : null;
			if (error == null || error.status().value() != status) {
				failures.add(what + ": " + status + " not in the error shape: " + abbreviated(response.body()));
			}
		}
		else if (body != null && !body.path("resourceType").asText().equals("OperationOutcome")) {
			failures.add(what + ": " + status + " JSON answer that is not an OperationOutcome");
		}
	}

	private static CdsHooksError error(String code) {
		try {
			return CdsHooksError.valueOf(code);
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	private static String abbreviated(String body) {
		return body == null ? "" : body.length() > 300 ? body.substring(0, 300) + "…" : body;
	}

	/** Every service id and its hooks, from discovery. */
	private Map<String, List<String>> services() {
		Map<String, List<String>> services = new LinkedHashMap<>();
		for (JsonNode service : http.get("/cds-services").json().path("services")) {
			services.computeIfAbsent(service.path("id").asText(), id -> new ArrayList<>())
				.add(service.path("hook").asText());
		}
		return services;
	}

	private Map<String, Integer> counts() {
		Map<String, Integer> counts = new LinkedHashMap<>();
		for (String type : COUNTED) {
			counts.put(type, http.get("/fhir/" + type + "?_summary=count").json().path("total").asInt(-1));
		}
		return counts;
	}

	private String hookRequest(String hook) {
		String context = hook.equals("patient-view") ? "{\"patientId\":\"fuzz-p\",\"userId\":\"Practitioner/f\"}" : """
				{"patientId":"fuzz-p","userId":"Practitioner/f","selections":["MedicationRequest/fuzz-mr"],
				 "draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":
				 {"resourceType":"MedicationRequest","id":"fuzz-mr","status":"draft","intent":"order",
				  "subject":{"reference":"Patient/fuzz-p"},"medicationCodeableConcept":{"text":"x"}}}]}}""";
		return "{\"hook\":\"" + hook + "\",\"hookInstance\":\"" + UUID.randomUUID() + "\",\"context\":" + context + "}";
	}

	/** A JSON text cut before its end: never valid JSON. */
	private String truncated(String text) {
		return text.substring(0, random.nextInt(text.length() - 1));
	}

	private static String nested(int depth) {
		return "{\"hook\":" + "[".repeat(depth) + "]".repeat(depth) + "}";
	}

	/** The request with a string field that takes it past the 1 MB test limit. */
	private static String huge(ObjectNode request) {
		ObjectNode copy = request.deepCopy();
		copy.put("padding", "x".repeat(1_100_000));
		return copy.toString();
	}

	private ObjectNode withPrefetch(ObjectNode request) {
		ObjectNode prefetch = request.putObject("prefetch");
		String key = pick(
				List.of("patient", "condition", "observation", "medicationAdministration", "encounter", "made-up"));
		switch (random.nextInt(6)) {
			case 0 -> prefetch.set(key, parse("{\"resourceType\":\"Observation\",\"id\":\"o\",\"status\":\"final\"}"));
			case 1 -> prefetch.set(key, parse("{\"resourceType\":42}"));
			case 2 -> prefetch.put(key, "not a resource");
			case 3 -> prefetch.set(key, bundle(random.nextBoolean() ? 6_000 : 50));
			case 4 -> prefetch.set(key, parse("{\"resourceType\":\"Bundle\",\"entry\":[{\"resource\":7},{}]}"));
			default -> prefetch.set(key, NODES.arrayNode().add(1).add("x"));
		}
		return request;
	}

	private static JsonNode bundle(int entries) {
		ObjectNode bundle = NODES.objectNode().put("resourceType", "Bundle").put("type", "searchset");
		ArrayNode entry = bundle.putArray("entry");
		for (int i = 0; i < entries; i++) {
			entry.addObject()
				.putObject("resource")
				.put("resourceType", i % 2 == 0 ? "Observation" : "Patient")
				.put("id", "b" + i);
		}
		return bundle;
	}

	private ObjectNode withFhirServer(ObjectNode request) {
		request.put("fhirServer", pick(FHIR_SERVERS));
		switch (random.nextInt(4)) {
			case 0 -> request.putObject("fhirAuthorization").put("access_token", "t").put("token_type", "Bearer");
			case 1 -> request.put("fhirAuthorization", "token");
			case 2 -> request.putObject("fhirAuthorization").put("access_token", 5);
			default -> {
			}
		}
		return request;
	}

	/** The request with one field, at any depth, replaced by a value of another type. */
	private JsonNode wrongType(ObjectNode request, boolean anyField) {
		List<JsonNode> containers = new ArrayList<>();
		collect(request, containers);
		JsonNode container = anyField ? pick(containers) : request;
		JsonNode value = pick(List.of(NODES.numberNode(123), NODES.numberNode(-1.5e308), NODES.booleanNode(true),
				NODES.nullNode(), NODES.textNode(""), NODES.textNode("x".repeat(10_000)), NODES.arrayNode(),
				NODES.objectNode(), NODES.textNode("\u0000\ud83d\ude00"), parse("[[[[[[[[[[1]]]]]]]]]]")));
		if (container instanceof ObjectNode object && !object.isEmpty()) {
			List<String> names = new ArrayList<>();
			object.fieldNames().forEachRemaining(names::add);
			object.set(pick(names), value);
		}
		else if (container instanceof ArrayNode array && !array.isEmpty()) {
			array.set(random.nextInt(array.size()), value);
		}
		else if (container instanceof ObjectNode object && random.nextBoolean()) {
			object.set("feedback", value);
		}
		return request;
	}

	private static void collect(JsonNode node, List<JsonNode> containers) {
		if (node.isContainerNode()) {
			containers.add(node);
			node.forEach(child -> collect(child, containers));
		}
	}

	private static String transaction(String resource) {
		return transaction(resource, 1);
	}

	private static String transaction(String resource, int entries) {
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int i = 0; i < entries; i++) {
			bundle.append(i == 0 ? "" : ",")
				.append("{\"resource\":")
				.append(resource)
				.append(",\"request\":{\"method\":\"POST\",\"url\":\"Patient\"}}");
		}
		return bundle.append("]}").toString();
	}

	private <T> T pick(List<T> values) {
		return values.get(random.nextInt(values.size()));
	}

	private static JsonNode parse(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (Exception e) {
			throw new IllegalArgumentException(e);
		}
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

}
