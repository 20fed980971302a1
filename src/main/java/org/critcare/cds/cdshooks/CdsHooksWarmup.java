package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.recommendation.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Calls every offered service on every hook it answers, a configured number of times,
 * over HTTP on loopback, before the server reports ready (issue 4: the first call after
 * start-up is as fast as later ones). The calls take the whole path an EHR's call takes —
 * Tomcat, parsing, data, CQL, cards, serialization — with a synthetic patient whose
 * prefetch holds one resource per code of each prefetch template; every tenth call reads
 * the own store instead. Nothing is stored, and the calls carry {@link #WARMUP_HEADER} so
 * that they are not logged one by one.
 */
@Component
@Order(2)
class CdsHooksWarmup implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(CdsHooksWarmup.class);

	/** Marks warm-up calls, with {@link #WARMUP_SECRET} as its value. */
	static final String WARMUP_HEADER = "X-Critcare-Warmup";

	/**
	 * A random value made when the server starts and never sent anywhere but to itself:
	 * only the server can mark a call as its own warm-up (a client that sends the header
	 * with any other value is logged as usual).
	 */
	private static final String WARMUP_SECRET = new BigInteger(128, new SecureRandom()).toString(36);

	static boolean isWarmup(String headerValue) {
		return headerValue != null && MessageDigest.isEqual(headerValue.getBytes(StandardCharsets.UTF_8),
				WARMUP_SECRET.getBytes(StandardCharsets.UTF_8));
	}

	private static final String PATIENT = "critcare-warmup";

	/**
	 * The UCUM units CLINICAL-SPEC §6.3 accepts, so that logic of any service finds
	 * usable values.
	 */
	private static final List<String> UNITS = List.of("mm[Hg]", "mmol/L", "mg/dL", "/min", "%", "10*3/uL", "/uL",
			"ug/mL", "mL", "kg");

	private final RecommendationService recommendations;

	private final Environment environment;

	private final FhirContext fhirContext;

	private final int calls;

	private final ObjectMapper json = new ObjectMapper();

	CdsHooksWarmup(RecommendationService recommendations, Environment environment, FhirContext fhirContext,
			CdsHooksProperties properties) {
		this.recommendations = recommendations;
		this.environment = environment;
		this.fhirContext = fhirContext;
		this.calls = properties.warmupCalls();
	}

	@Override
	public void run(ApplicationArguments args) throws IOException, InterruptedException {
		String port = environment.getProperty("local.server.port");
		if (calls <= 0 || port == null) {
			return;
		}
		long started = System.nanoTime();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		int failed = 0;
		for (ServiceDefinition service : recommendations.services()) {
			URI uri = URI.create("http://127.0.0.1:" + port + "/cds-services/" + service.id());
			for (String hook : service.hooks()) {
				List<byte[]> withPrefetch = new ArrayList<>();
				for (int variant = 0; variant < UNITS.size(); variant++) {
					withPrefetch.add(request(service, hook, variant));
				}
				byte[] withoutPrefetch = request(service, hook, -1);
				for (int i = 0; i < calls; i++) {
					boolean ownStore = i % 10 == 9;
					byte[] body = ownStore ? withoutPrefetch : withPrefetch.get(i % withPrefetch.size());
					HttpRequest call = HttpRequest.newBuilder(uri)
						.header("Content-Type", "application/json")
						.header("Accept-Language", i % 10 == 0 ? "ja" : "en")
						.header(WARMUP_HEADER, WARMUP_SECRET)
						.POST(HttpRequest.BodyPublishers.ofByteArray(body))
						.build();
					if (http.send(call, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
						failed++;
					}
				}
			}
		}
		log.info("Warm-up: {} calls per service and hook in {} ms{}", calls, (System.nanoTime() - started) / 1_000_000,
				failed == 0 ? "" : " (" + failed + " failed)");
	}

	/**
	 * A call of the synthetic patient; {@code variant} shifts the units and values of its
	 * Observations, so that across variants every code meets every accepted unit and a
	 * spread of values (and rules fire); a negative variant sends no prefetch.
	 */
	private byte[] request(ServiceDefinition service, String hook, int variant) {
		ObjectNode request = json.createObjectNode()
			.put("hook", hook)
			.put("hookInstance", UUID.randomUUID().toString());
		ObjectNode context = request.putObject("context")
			.put("patientId", PATIENT)
			.put("userId", "Practitioner/warmup");
		if (hook.startsWith("order-")) {
			context.putObject("draftOrders").put("resourceType", "Bundle").put("type", "collection");
			context.putArray("selections");
		}
		if (variant >= 0) {
			ObjectNode values = request.putObject("prefetch");
			for (Map.Entry<String, String> template : service.prefetch().entrySet()) {
				values.set(template.getKey(), prefetchValue(template.getValue(), variant));
			}
		}
		return request.toString().getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * A resource for a read template, or a searchset with a resource per code of a search
	 * template.
	 */
	private ObjectNode prefetchValue(String template, int variant) {
		String type = template.split("[/?]")[0];
		if (!template.contains("?")) {
			return resource(type, 0, null, variant);
		}
		ObjectNode bundle = json.createObjectNode().put("resourceType", "Bundle").put("type", "searchset");
		ArrayNode entries = bundle.putArray("entry");
		int codes = template.indexOf("code=");
		String[] tokens = codes < 0 ? new String[] { null } : template.substring(codes + 5).split(",");
		for (int i = 0; i < tokens.length; i++) {
			entries.addObject().set("resource", resource(type, i, tokens[i], variant));
		}
		return bundle;
	}

	private ObjectNode resource(String type, int index, String token, int variant) {
		ObjectNode resource = json.createObjectNode().put("resourceType", type).put("id", "warmup-" + index);
		String now = Instant.now().minus(index + 5L, ChronoUnit.MINUTES).truncatedTo(ChronoUnit.SECONDS).toString();
		ObjectNode coding = json.createObjectNode();
		if (token != null) {
			coding.put("system", token.substring(0, token.indexOf('|')))
				.put("code", token.substring(token.indexOf('|') + 1));
		}
		var definition = fhirContext.getResourceDefinition(type);
		if (definition.getChildByName("subject") != null) {
			resource.putObject("subject").put("reference", "Patient/" + PATIENT);
		}
		switch (type) {
			case "Observation" -> {
				resource.put("status", "final").put("effectiveDateTime", now);
				resource.putObject("code").putArray("coding").add(coding);
				resource.putObject("valueQuantity")
					.put("value", 1 + (index * 7 + variant * 13) % 120)
					.put("system", "http://unitsofmeasure.org")
					.put("code", UNITS.get((index + variant) % UNITS.size()));
			}
			case "Condition" -> {
				resource.putObject("code").putArray("coding").add(coding);
				resource.putObject("clinicalStatus")
					.putArray("coding")
					.addObject()
					.put("system", "http://terminology.hl7.org/CodeSystem/condition-clinical")
					.put("code", "active");
			}
			case "MedicationAdministration", "MedicationRequest", "MedicationStatement" -> {
				resource.put("status", type.equals("MedicationAdministration") ? "in-progress" : "active");
				resource.putObject("medicationCodeableConcept").putArray("coding").add(coding);
				if (type.equals("MedicationAdministration")) {
					resource.put("effectiveDateTime", now);
				}
				if (type.equals("MedicationRequest")) {
					resource.put("intent", "order");
				}
			}
			default -> {
				if (definition.getChildByName("code") != null && token != null) {
					resource.putObject("code").putArray("coding").add(coding);
				}
			}
		}
		return resource;
	}

}
