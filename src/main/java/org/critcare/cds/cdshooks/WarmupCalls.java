package org.critcare.cds.cdshooks;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;
import org.critcare.cds.content.ExamplePatients.ExamplePatient;
import org.critcare.cds.knowledge.ServiceDefinition;

/**
 * The CDS Hooks requests the warm-up sends for an example patient of the content: the
 * example's record moved in time so that its {@code timestamp} is now, its draft orders
 * (resources with status {@code draft}) as {@code draftOrders} of an order hook (the
 * first one also selected on order-select), and, with prefetch, each prefetch key filled
 * with the record's resources of the key's type. Knows the CDS Hooks request shape and
 * FHIR date-times, nothing of the clinical content.
 */
final class WarmupCalls {

	private static final ObjectMapper JSON = new ObjectMapper();

	private static final Pattern DATE_TIME = Pattern
		.compile("\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}(:\\d{2}(\\.\\d+)?)?(Z|[+-]\\d{2}:\\d{2})");

	private WarmupCalls() {
	}

	/** The request body for the example on the hook, at {@code now}. */
	static byte[] request(ServiceDefinition service, String hook, ExamplePatient example, Instant now,
			boolean withPrefetch) {
		ObjectNode bundle = example.bundle().deepCopy();
		Duration shift = Duration.between(OffsetDateTime.parse(bundle.path("timestamp").asText()).toInstant(), now);
		moved(bundle, shift);
		List<JsonNode> record = new ArrayList<>();
		List<JsonNode> drafts = new ArrayList<>();
		String patientId = null;
		for (JsonNode entry : bundle.path("entry")) {
			JsonNode resource = entry.path("resource");
			if (resource.path("status").asText().equals("draft")) {
				drafts.add(resource);
			}
			else {
				record.add(resource);
			}
			if (resource.path("resourceType").asText().equals("Patient")) {
				patientId = resource.path("id").asText();
			}
		}
		ObjectNode request = JSON.createObjectNode()
			.put("hook", hook)
			.put("hookInstance", UUID.randomUUID().toString());
		ObjectNode context = request.putObject("context")
			.put("patientId", patientId == null ? "warmup" : patientId)
			.put("userId", "Practitioner/warmup");
		if (hook.startsWith("order-")) {
			ArrayNode entries = context.putObject("draftOrders")
				.put("resourceType", "Bundle")
				.put("type", "collection")
				.putArray("entry");
			drafts.forEach(d -> entries.addObject().set("resource", d));
			if (hook.equals("order-select")) {
				ArrayNode selections = context.putArray("selections");
				drafts.stream()
					.limit(1)
					.forEach(d -> selections.add(d.path("resourceType").asText() + "/" + d.path("id").asText()));
			}
		}
		if (withPrefetch) {
			ObjectNode prefetch = request.putObject("prefetch");
			for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
				prefetch.set(template.getKey(), prefetchValue(template.getValue(), record));
			}
		}
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * The record's resource of the type for a read template, else a searchset of all its
	 * resources of the type.
	 */
	private static JsonNode prefetchValue(String template, List<JsonNode> record) {
		String type = template.split("[/?]")[0];
		List<JsonNode> ofType = record.stream().filter(r -> r.path("resourceType").asText().equals(type)).toList();
		if (!template.contains("?")) {
			return ofType.isEmpty() ? JSON.nullNode() : ofType.get(0);
		}
		ObjectNode searchset = JSON.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
		ArrayNode entries = searchset.putArray("entry");
		ofType.forEach(r -> entries.addObject().set("resource", r));
		return searchset;
	}

	/** Moves every FHIR date-time (not dates) in the node by the shift. */
	private static void moved(JsonNode node, Duration shift) {
		if (node instanceof ObjectNode object) {
			object.fields().forEachRemaining(field -> {
				if (field.getValue().isTextual() && DATE_TIME.matcher(field.getValue().asText()).matches()) {
					field.setValue(TextNode.valueOf(DateTimeFormatter.ISO_OFFSET_DATE_TIME
						.format(OffsetDateTime.parse(field.getValue().asText()).plus(shift))));
				}
				else {
					moved(field.getValue(), shift);
				}
			});
		}
		else if (node instanceof ArrayNode array) {
			array.forEach(item -> moved(item, shift));
		}
	}

}
