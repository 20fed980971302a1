package org.critcare.cds.benchmark;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.scenarios.Scenario;
import org.critcare.cds.support.Http;

/**
 * The CRE patient of the issue-10 benchmark target: public scenario PUB-CRE-04 (IMP
 * MBL-producing Klebsiella pneumoniae bacteraemia, ID consult done) grown to an isolate
 * with 15 susceptibility results (14 MIC-coded, one interpretation-coded) and a
 * carbapenemase gene test, a day of hourly vitals (heart rate, respiratory rate, systolic
 * pressure, SpO2: 96 Observations), and 3 draft orders (cefiderocol, meropenem, amikacin)
 * in an order-sign call. The patient is stored on the server, and the call's prefetch is
 * each of the service's discovery templates read from {@code /fhir}, as an EHR fills
 * them.
 */
final class CreBenchmarkPatient {

	static final String SERVICE = "/cds-services/cre-stewardship";

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final String LOINC = "http://loinc.org";

	private static final String LOCAL = "http://example.org/cds/CodeSystem/local";

	private static final Pattern TOKEN = Pattern.compile("\\{\\{\\s*context\\.patientId\\s*}}");

	/** Agent → MIC test (system, code), as in src/test/scenario-sources. */
	private static final List<String[]> MIC_TESTS = List.of(new String[] { "lvfx", LOINC, "20396-8" },
			new String[] { "sxt", LOINC, "516-5" }, new String[] { "amk", LOINC, "12-5" },
			new String[] { "gen", LOINC, "267-5" }, new String[] { "tob", LOINC, "508-2" },
			new String[] { "col", LOINC, "205-5" }, new String[] { "tgc", LOINC, "42355-8" },
			new String[] { "fos", LOINC, "25653-7" }, new String[] { "mem", LOINC, "6652-2" },
			new String[] { "ipm", LOINC, "279-0" }, new String[] { "azt", LOINC, "44-8" },
			new String[] { "fdc", LOCAL, "ast-cefiderocol" },
			new String[] { "cza", LOCAL, "ast-ceftazidime-avibactam" },
			new String[] { "imr", LOCAL, "ast-imipenem-relebactam" });

	private CreBenchmarkPatient() {
	}

	/** Stores the patient and returns the order-sign request body, prefetch filled. */
	static byte[] orderSign(Http http) {
		Scenario scenario = scenario();
		Http.Response stored = http.post("/fhir", scenario.transaction("PUT"));
		if (stored.status() != 200) {
			throw new IllegalStateException("storing the CRE benchmark patient failed: HTTP " + stored.status());
		}
		ObjectNode request = JSON.createObjectNode()
			.put("hook", "order-sign")
			.put("hookInstance", UUID.randomUUID().toString());
		request.set("context", scenario.context());
		request.set("prefetch", prefetch(http, scenario.patientId()));
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The patient's order-sign scenario, times relative to now: its record and the call's
	 * context with the 3 draft orders.
	 */
	static Scenario scenario() {
		Scenario scenario = Scenario.publicScenarios()
			.stream()
			.filter(s -> s.id().equals("PUB-CRE-04"))
			.findFirst()
			.orElseThrow()
			.prefixed()
			.at(Instant.now());
		String patient = scenario.patientId();
		ArrayNode data = scenario.data();
		String isolate = isolateId(data);
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		List<JsonNode> kept = new java.util.ArrayList<>();
		data.forEach(r -> {
			String code = r.path("code").path("coding").path(0).path("code").asText();
			boolean ast = r.path("id").asText().contains("-ast-");
			boolean vital = List.of("8867-4", "9279-1", "8480-6").contains(code);
			if (!ast && !vital) {
				kept.add(r);
			}
		});
		data.removeAll();
		data.addAll(kept);
		for (String[] test : MIC_TESTS) {
			String interpretation = test[0].equals("fdc") ? "S" : "R";
			data.add(susceptibility(patient, isolate, test[0] + "-mic", test[1], test[2], interpretation,
					now.minus(Duration.ofDays(1))));
		}
		data.add(susceptibility(patient, isolate, "lvfx-interp", LOINC, "20629-2", "R", now.minus(Duration.ofDays(1))));
		for (int hour = 0; hour < 24; hour++) {
			Instant when = now.minus(Duration.ofMinutes(60L * hour + 20));
			data.add(vital(patient, "hr-" + hour, "8867-4", 88 + hour % 5, "/min", when));
			data.add(vital(patient, "rr-" + hour, "9279-1", 18 + hour % 3, "/min", when));
			data.add(vital(patient, "sbp-" + hour, "8480-6", 124 + hour % 7, "mm[Hg]", when));
			data.add(vital(patient, "spo2-" + hour, "59408-5", 96 + hour % 3, "%", when));
		}
		ObjectNode context = scenario.context();
		context.put("userId", "Practitioner/bench");
		ArrayNode drafts = (ArrayNode) context.path("draftOrders").path("entry");
		drafts.addObject().set("resource", draft(patient, "mr-mem", "meropenem", 2, "g", 8));
		drafts.addObject().set("resource", draft(patient, "mr-amk", "amikacin", 15, "mg", 24));
		if (drafts.size() != 3) {
			throw new IllegalStateException("expected 3 draft orders");
		}
		return scenario;
	}

	private static String isolateId(ArrayNode data) {
		for (JsonNode resource : data) {
			if (resource.path("id").asText().endsWith("-iso")) {
				return resource.path("id").asText();
			}
		}
		throw new IllegalStateException("PUB-CRE-04 has no isolate");
	}

	/** The service's order-sign prefetch templates, each read from the server. */
	private static ObjectNode prefetch(Http http, String patient) {
		JsonNode templates = null;
		for (JsonNode service : http.get("/cds-services").json().path("services")) {
			if (service.path("id").asText().equals("cre-stewardship")
					&& service.path("hook").asText().equals("order-sign")) {
				templates = service.path("prefetch");
			}
		}
		if (templates == null) {
			throw new IllegalStateException("cre-stewardship order-sign is not in discovery");
		}
		ObjectNode prefetch = JSON.createObjectNode();
		templates.fields().forEachRemaining(template -> {
			Matcher token = TOKEN.matcher(template.getValue().asText());
			String query = token.replaceAll(patient);
			// one page holds the whole answer, as a prefetch must (a next link would make
			// the call read on)
			Http.Response response = http.get("/fhir/" + encode(query) + (query.contains("?") ? "&_count=500" : ""));
			if (response.status() != 200) {
				throw new IllegalStateException("prefetch " + template.getKey() + ": HTTP " + response.status());
			}
			for (JsonNode link : response.json().path("link")) {
				if (link.path("relation").asText().equals("next")) {
					throw new IllegalStateException("prefetch " + template.getKey() + " has more than one page");
				}
			}
			prefetch.set(template.getKey(), response.json());
		});
		return prefetch;
	}

	/** Encodes the characters of a query that a URI cannot carry as they are. */
	private static String encode(String query) {
		StringBuilder out = new StringBuilder();
		for (char c : query.toCharArray()) {
			out.append("|[]{} \"".indexOf(c) >= 0 ? URLEncoder.encode(String.valueOf(c), StandardCharsets.UTF_8)
					: String.valueOf(c));
		}
		return out.toString();
	}

	private static JsonNode susceptibility(String patient, String isolate, String id, String system, String code,
			String interpretation, Instant when) {
		ObjectNode o = observation(patient, "bench-ast-" + id, "laboratory", system, code, when);
		if (!id.endsWith("-interp")) {
			o.putObject("valueQuantity")
				.put("value", interpretation.equals("S") ? 0.5 : 16)
				.put("unit", "ug/mL")
				.put("system", "http://unitsofmeasure.org")
				.put("code", "ug/mL");
		}
		o.putArray("interpretation")
			.addObject()
			.putArray("coding")
			.addObject()
			.put("system", "http://terminology.hl7.org/CodeSystem/v3-ObservationInterpretation")
			.put("code", interpretation);
		o.putArray("derivedFrom").addObject().put("reference", "Observation/" + isolate);
		return o;
	}

	private static JsonNode vital(String patient, String id, String loinc, int value, String unit, Instant when) {
		ObjectNode o = observation(patient, "bench-" + id, "vital-signs", LOINC, loinc, when);
		o.putObject("valueQuantity")
			.put("value", value)
			.put("unit", unit)
			.put("system", "http://unitsofmeasure.org")
			.put("code", unit);
		return o;
	}

	private static ObjectNode observation(String patient, String id, String category, String system, String code,
			Instant when) {
		ObjectNode o = JSON.createObjectNode().put("resourceType", "Observation").put("id", id).put("status", "final");
		o.putArray("category")
			.addObject()
			.putArray("coding")
			.addObject()
			.put("system", "http://terminology.hl7.org/CodeSystem/observation-category")
			.put("code", category);
		o.putObject("code").putArray("coding").addObject().put("system", system).put("code", code);
		o.putObject("subject").put("reference", "Patient/" + patient);
		o.put("effectiveDateTime", when.toString());
		return o;
	}

	private static JsonNode draft(String patient, String id, String agent, int dose, String unit, int everyHours) {
		try {
			return JSON.readTree(
					"""
							{"resourceType":"MedicationRequest","id":"%s","status":"draft","intent":"order",
							 "medicationCodeableConcept":{"coding":[{"system":"%s","code":"%s"}]},
							 "subject":{"reference":"Patient/%s"},"authoredOn":"%s",
							 "dosageInstruction":[{"timing":{"repeat":{"frequency":1,"period":%d,"periodUnit":"h"}},
							  "doseAndRate":[{"doseQuantity":{"value":%d,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}]}]}"""
						.formatted(id, LOCAL, agent, patient, Instant.now().truncatedTo(ChronoUnit.SECONDS), everyHours,
								dose, unit, unit));
		}
		catch (java.io.IOException e) {
			throw new IllegalStateException(e);
		}
	}

}
