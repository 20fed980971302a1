package org.critcare.cds.scenarios;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * One clinical test patient of CLINICAL-SPEC §9: a service, a hook, a context, the
 * patient's FHIR data with times written as offsets from now ({@code -2h}, {@code -30m},
 * {@code -21d}), and the rules that must and must not fire.
 */
public record Scenario(String id, String description, String service, String hook, ObjectNode context, ArrayNode data,
		Map<String, String> fire, List<String> notFire) {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern OFFSET = Pattern.compile("^([-+]?\\d+(?:\\.\\d+)?)([mhd])$");

	/** The public scenarios, copied from shared/clinical/scenarios-public.json. */
	public static List<Scenario> publicScenarios() {
		return load("/scenarios/scenarios-public.json");
	}

	/** The scenarios of a classpath JSON array file. */
	public static List<Scenario> load(String resource) {
		try (InputStream in = Scenario.class.getResourceAsStream(resource)) {
			List<Scenario> scenarios = new ArrayList<>();
			for (JsonNode node : JSON.readTree(in)) {
				Map<String, String> fire = new java.util.LinkedHashMap<>();
				node.path("expect")
					.path("fire")
					.forEach(f -> fire.put(f.get("rule").asText(), f.get("indicator").asText()));
				List<String> notFire = new ArrayList<>();
				node.path("expect").path("notFire").forEach(n -> notFire.add(n.asText()));
				scenarios.add(new Scenario(node.get("id").asText(), node.path("description").asText(),
						node.get("service").asText(), node.get("hook").asText(), (ObjectNode) node.get("context"),
						(ArrayNode) node.get("data"), fire, notFire));
			}
			return scenarios;
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	/**
	 * The same scenario with every offset replaced by an ISO-8601 instant relative to
	 * now.
	 */
	public Scenario at(Instant now) {
		Instant second = now.truncatedTo(ChronoUnit.SECONDS);
		return new Scenario(id, description, service, hook, (ObjectNode) absolute(context.deepCopy(), second),
				(ArrayNode) absolute(data.deepCopy(), second), fire, notFire);
	}

	/**
	 * The same scenario with every resource id (and every reference to it) prefixed with
	 * the scenario id, so that scenarios stored on one server never collide.
	 */
	public Scenario prefixed() {
		String prefix = id.replaceAll("[^A-Za-z0-9]", "").toLowerCase();
		Map<String, String> ids = new java.util.HashMap<>();
		List<JsonNode> resources = new ArrayList<>();
		data.forEach(resources::add);
		context.path("draftOrders").path("entry").forEach(e -> resources.add(e.path("resource")));
		for (JsonNode resource : resources) {
			if (resource.hasNonNull("id")) {
				String type = resource.get("resourceType").asText();
				String renamed = (type + "/" + prefix + "-" + resource.get("id").asText());
				ids.put(type + "/" + resource.get("id").asText(),
						renamed.substring(0, Math.min(renamed.length(), type.length() + 65)));
			}
		}
		ObjectNode renamedContext = (ObjectNode) rename(context.deepCopy(), ids);
		String patient = ids.getOrDefault("Patient/" + context.get("patientId").asText(),
				"Patient/" + context.get("patientId").asText());
		renamedContext.put("patientId", patient.substring(patient.indexOf('/') + 1));
		return new Scenario(id, description, service, hook, renamedContext, (ArrayNode) rename(data.deepCopy(), ids),
				fire, notFire);
	}

	private static JsonNode rename(JsonNode node, Map<String, String> ids) {
		if (node instanceof ObjectNode object) {
			String type = object.path("resourceType").asText(null);
			Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				String key = type + "/" + field.getValue().asText();
				if (field.getKey().equals("id") && type != null && ids.containsKey(key)) {
					field.setValue(TextNode.valueOf(ids.get(key).substring(type.length() + 1)));
				}
				else {
					field.setValue(rename(field.getValue(), ids));
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				array.set(i, rename(array.get(i), ids));
			}
		}
		else if (node.isTextual() && ids.containsKey(node.asText())) {
			return TextNode.valueOf(ids.get(node.asText()));
		}
		return node;
	}

	/**
	 * A FHIR transaction Bundle that stores (PUT) or deletes every resource of the data.
	 */
	public ObjectNode transaction(String method) {
		ObjectNode bundle = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "transaction");
		ArrayNode entries = bundle.putArray("entry");
		List<JsonNode> ordered = new ArrayList<>();
		data.forEach(ordered::add);
		if (method.equals("DELETE")) {
			// referrers first, the Patient last, so that referential integrity never
			// blocks a delete
			ordered.sort(Comparator.comparing(r -> r.path("resourceType").asText().equals("Patient")));
		}
		for (JsonNode resource : ordered) {
			ObjectNode entry = entries.addObject();
			if (method.equals("PUT")) {
				entry.set("resource", resource);
			}
			entry.putObject("request")
				.put("method", method)
				.put("url", resource.get("resourceType").asText() + "/" + resource.get("id").asText());
		}
		return bundle;
	}

	/** The patient data as FHIR resources. */
	public List<IBaseResource> resources(FhirContext fhirContext) {
		List<IBaseResource> resources = new ArrayList<>();
		for (JsonNode resource : data) {
			resources.add(fhirContext.newJsonParser().parseResource(resource.toString()));
		}
		return resources;
	}

	public String patientId() {
		return context.get("patientId").asText();
	}

	@Override
	public String toString() {
		return id + ": " + description;
	}

	private static JsonNode absolute(JsonNode node, Instant now) {
		if (node instanceof ObjectNode object) {
			Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				field.setValue(absolute(field.getValue(), now));
			}
		}
		else if (node instanceof ArrayNode array) {
			for (int i = 0; i < array.size(); i++) {
				array.set(i, absolute(array.get(i), now));
			}
		}
		else if (node.isTextual()) {
			Matcher offset = OFFSET.matcher(node.asText());
			if (offset.matches()) {
				double amount = Double.parseDouble(offset.group(1));
				long seconds = Math.round(amount * switch (offset.group(2)) {
					case "m" -> 60;
					case "h" -> 3600;
					default -> 86400;
				});
				return TextNode.valueOf(now.plus(Duration.ofSeconds(seconds)).toString());
			}
		}
		return node;
	}

}
