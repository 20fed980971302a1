package org.critcare.cds.demo;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.jpa.api.dao.IFhirSystemDao;
import ca.uhn.fhir.rest.api.server.SystemRequestDetails;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;
import java.io.IOException;
import java.io.InputStream;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Iterator;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.app.RuleFires;
import org.hl7.fhir.r4.model.Bundle;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.core.io.ClassPathResource;
import org.springframework.stereotype.Component;

/**
 * Loads the demo data of {@code src/main/resources/demo} (issue 13) at start-up, before
 * the server reports ready, when {@code cds.demo.enabled} is true (the {@code demo}
 * profile): three synthetic patients, two weeks of feedback and of rule fires. Times in
 * the files are relative ({@code -3h}) and resolved now; resources are PUT by id, so a
 * restart refreshes them.
 */
@Component
@ConditionalOnProperty(name = "cds.demo.enabled", havingValue = "true")
class DemoDataLoader implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(DemoDataLoader.class);

	private static final Pattern RELATIVE = Pattern.compile("(-?)(\\d+)([mhd])");

	private static final Set<String> TIME_FIELDS = Set.of("authoredOn", "effectiveDateTime", "onsetDateTime", "start",
			"end", "recorded", "issued");

	private final IFhirSystemDao<Bundle, ?> systemDao;

	private final FhirContext fhirContext;

	private final RuleFires ruleFires;

	private final ObjectMapper mapper = new ObjectMapper();

	DemoDataLoader(IFhirSystemDao<Bundle, ?> systemDao, FhirContext fhirContext, RuleFires ruleFires) {
		this.systemDao = systemDao;
		this.fhirContext = fhirContext;
		this.ruleFires = ruleFires;
	}

	@Override
	public void run(ApplicationArguments args) throws IOException {
		Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
		int resources = store("demo/demo-patients.json", now) + store("demo/demo-feedback.json", now);
		int days = 0;
		for (JsonNode fire : read("demo/demo-rule-fires.json").path("fires")) {
			ruleFires.seed(fire.path("service").asText(), fire.path("rule").asText(),
					ruleFires.today().minusDays(fire.path("daysAgo").asLong()), fire.path("count").asLong());
			days++;
		}
		log.info("demo data loaded: {} resources, {} rule-fire days", resources, days);
	}

	private int store(String path, Instant now) throws IOException {
		JsonNode bundle = read(path);
		resolveTimes(bundle, now);
		Bundle transaction = fhirContext.newJsonParser().parseResource(Bundle.class, mapper.writeValueAsString(bundle));
		systemDao.transaction(new SystemRequestDetails(), transaction);
		return transaction.getEntry().size();
	}

	private JsonNode read(String path) throws IOException {
		try (InputStream in = new ClassPathResource(path).getInputStream()) {
			return mapper.readTree(in);
		}
	}

	/** Replaces relative times ({@code -3h}, {@code -2d}, {@code 0m}) by instants. */
	static void resolveTimes(JsonNode node, Instant now) {
		if (node instanceof ObjectNode object) {
			Iterator<Map.Entry<String, JsonNode>> fields = object.fields();
			while (fields.hasNext()) {
				Map.Entry<String, JsonNode> field = fields.next();
				Matcher relative = RELATIVE.matcher(field.getValue().asText(""));
				if (TIME_FIELDS.contains(field.getKey()) && field.getValue().isTextual() && relative.matches()) {
					long amount = Long.parseLong(relative.group(2)) * (relative.group(1).isEmpty() ? 1 : -1);
					ChronoUnit unit = switch (relative.group(3)) {
						case "m" -> ChronoUnit.MINUTES;
						case "h" -> ChronoUnit.HOURS;
						default -> ChronoUnit.DAYS;
					};
					field.setValue(TextNode.valueOf(now.plus(amount, unit).toString()));
				}
				else {
					resolveTimes(field.getValue(), now);
				}
			}
		}
		else if (node instanceof ArrayNode array) {
			array.forEach(child -> resolveTimes(child, now));
		}
	}

}
