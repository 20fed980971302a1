package org.critcare.cds.scenarios;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.support.Http;

/**
 * Runs a scenario against a running server the way shared/tools/cds-scenarios.py does, in
 * one of two modes: {@code FHIR_SERVER} stores the data and calls the hook with
 * {@code fhirServer} = this server; {@code PREFETCH} stores the data, fills every
 * prefetch template of the service against this server, deletes the data again and calls
 * the hook with that prefetch only.
 */
public final class ScenarioRunner {

	/** How the service gets the patient's data. */
	public enum Mode {

		FHIR_SERVER, PREFETCH

	}

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*([^}]+?)\\s*}}");

	private final Http http;

	private final Map<String, JsonNode> discovery = new HashMap<>();

	public ScenarioRunner(Http http) {
		this.http = http;
		for (JsonNode service : http.get("/cds-services").json().path("services")) {
			discovery.put(service.get("id").asText() + " " + service.get("hook").asText(), service);
		}
	}

	/**
	 * The problems found; empty when every expected rule fired and no forbidden one did.
	 */
	public List<String> run(Scenario template, Mode mode) {
		return run(template, mode, null);
	}

	/**
	 * The cards of a scenario in a language (its data read from the server's own store),
	 * with the problems {@link CardChecks} finds in them.
	 */
	public Answer cards(Scenario template, String language) {
		List<JsonNode> cards = new ArrayList<>();
		List<String> problems = run(template, Mode.FHIR_SERVER, language, cards);
		return new Answer(cards, problems);
	}

	/** Cards and the problems found in them. */
	public record Answer(List<JsonNode> cards, List<String> problems) {
	}

	private List<String> run(Scenario template, Mode mode, String language) {
		return run(template, mode, language, new ArrayList<>());
	}

	private List<String> run(Scenario template, Mode mode, String language, List<JsonNode> cardsOut) {
		Scenario scenario = template.prefixed().at(Instant.now());
		JsonNode service = discovery.get(scenario.service() + " " + scenario.hook());
		if (service == null) {
			return List.of("service " + scenario.service() + " for hook " + scenario.hook() + " is not in discovery");
		}
		Http.Response stored = http.post("/fhir", scenario.transaction("PUT"));
		if (stored.status() >= 300) {
			return List.of("storing the data failed: HTTP " + stored.status());
		}
		ObjectNode context = scenario.context().deepCopy();
		if (!context.has("userId")) {
			context.put("userId", "Practitioner/cds-scenarios");
		}
		ObjectNode request = JSON.createObjectNode()
			.put("hook", scenario.hook())
			.put("hookInstance", UUID.randomUUID().toString());
		request.set("context", context);
		try {
			if (mode == Mode.PREFETCH) {
				request.set("prefetch", prefetch(service.path("prefetch"), context));
				http.post("/fhir", scenario.transaction("DELETE"));
			}
			else {
				request.put("fhirServer", http.base() + "/fhir");
			}
			Http.Response answer = language == null ? http.post("/cds-services/" + scenario.service(), request)
					: http.post("/cds-services/" + scenario.service(), request.toString(),
							Map.of("Content-Type", "application/json", "Accept-Language", language));
			if (answer.status() != 200 || answer.json() == null || !answer.json().path("cards").isArray()) {
				return List.of("hook call failed: HTTP " + answer.status() + ": " + answer.body());
			}
			answer.json().path("cards").forEach(cardsOut::add);
			return CardChecks.check(scenario, answer.json().path("cards"));
		}
		finally {
			if (mode != Mode.PREFETCH) {
				http.post("/fhir", scenario.transaction("DELETE"));
			}
		}
	}

	private ObjectNode prefetch(JsonNode templates, ObjectNode context) {
		ObjectNode prefetch = JSON.createObjectNode();
		templates.fields().forEachRemaining(template -> {
			String query = fill(template.getValue().asText(), context);
			Http.Response response = http.get("/fhir/" + encode(query));
			if (response.status() == 404 || response.json() == null) {
				prefetch.putNull(template.getKey());
			}
			else if (response.status() < 300) {
				prefetch.set(template.getKey(), response.json());
			}
		});
		return prefetch;
	}

	private static String fill(String template, ObjectNode context) {
		Matcher token = TOKEN.matcher(template);
		StringBuilder filled = new StringBuilder();
		while (token.find()) {
			String name = token.group(1);
			String value = name.startsWith("context.") ? context.path(name.substring(8)).asText() : "";
			token.appendReplacement(filled, Matcher.quoteReplacement(value));
		}
		token.appendTail(filled);
		return filled.toString();
	}

	/**
	 * Percent-encodes the query part as a well-behaved client does (the | of system|code
	 * included).
	 */
	private static String encode(String query) {
		int question = query.indexOf('?');
		if (question < 0) {
			return query;
		}
		List<String> params = new ArrayList<>();
		for (String param : query.substring(question + 1).split("&")) {
			int equals = param.indexOf('=');
			params.add(param.substring(0, equals + 1)
					+ URLEncoder.encode(param.substring(equals + 1), StandardCharsets.UTF_8).replace("%2C", ","));
		}
		return query.substring(0, question + 1) + String.join("&", params);
	}

}
