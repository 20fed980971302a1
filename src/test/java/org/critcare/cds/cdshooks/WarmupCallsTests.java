package org.critcare.cds.cdshooks;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.critcare.cds.content.ContentFiles;
import org.critcare.cds.content.ExamplePatients;
import org.critcare.cds.content.ExamplePatients.ExamplePatient;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.limits.RequestLimits;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.patientdata.Prefetched;
import org.critcare.cds.recommendation.HookCall;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.recommendation.Recommendation;
import org.critcare.cds.recommendation.Recommendations;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.springframework.util.unit.DataSize;

/**
 * The example patients of the content (examples/) and the warm-up calls made of them:
 * every offered service has examples; every call the warm-up sends is a request the
 * server accepts, its prefetch holds the example's record; and each example, replayed as
 * the warm-up replays it, makes the rules it is tagged with fire (the rule tests and the
 * warm-up share these Bundles).
 */
class WarmupCallsTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static final HookRequestParser PARSER = new HookRequestParser(new CdsHooksJson(FHIR), FHIR,
			new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
			new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 5000, 500, 100)));

	static Knowledge knowledge;

	static List<ExamplePatient> examples;

	@BeforeAll
	static void load() {
		var resources = new ContentFiles(FHIR, new CqlCompiler()).read(Path.of("fhir-resources"), Path.of("cql"),
				"http://example.org/cds/");
		knowledge = new KnowledgeBuilder(new CqlCompiler(), FHIR).build(KnowledgeResources.of(resources, FHIR));
		examples = ExamplePatients.read(Path.of("examples"));
	}

	@Test
	void everyOfferedServiceShipsExamplePatients() {
		Set<String> withExamples = new TreeSet<>();
		examples.forEach(e -> withExamples.add(e.service()));
		Set<String> offered = new TreeSet<>();
		knowledge.services().forEach(s -> offered.add(s.id()));
		assertThat(withExamples).isEqualTo(offered);
	}

	@TestFactory
	Stream<DynamicTest> eachExampleReplayedAsTheWarmUpDoesFiresTheRulesItIsTaggedWith() {
		return examples.stream().map(e -> DynamicTest.dynamicTest(e.service() + "/" + e.name(), () -> assertFires(e)));
	}

	private static void assertFires(ExamplePatient example) throws IOException {
		ServiceDefinition service = knowledge.service(example.service()).orElseThrow();
		Instant recorded = Instant.parse(example.bundle().path("timestamp").asText());
		Set<String> fired = new TreeSet<>();
		for (String hook : service.hooks()) {
			byte[] body = WarmupCalls.request(service, hook, example, recorded, true);
			HookCall call = PARSER.parse(service.id(), body, "en").call();
			Map<String, IBaseResource> record = new LinkedHashMap<>();
			call.prefetch().values().forEach(p -> {
				if (p instanceof Prefetched.Resources resources) {
					resources.resources()
						.forEach(r -> record.put(r.getIdElement().toUnqualifiedVersionless().getValue(), r));
				}
			});
			List<Recommendation> cards = Recommendations.recommend(knowledge, service, hook, call.patientId(),
					PatientData.of(record.values()).withFirst(call.draftOrders()), call.cqlParameters(),
					ZonedDateTime.ofInstant(recorded, ZoneOffset.UTC), "en");
			cards.forEach(c -> fired.add(c.rule().id()));
		}
		Set<String> tagged = new TreeSet<>();
		example.bundle().path("meta").path("tag").forEach(t -> tagged.add(t.path("code").asText()));
		assertThat(tagged).isNotEmpty();
		assertThat(fired).containsAll(tagged);
	}

	@Test
	void theWarmUpMovesTheRecordToNowAndSendsNoPrefetchWhenAskedNot() throws IOException {
		ExamplePatient example = examples.stream()
			.filter(e -> e.service().equals("sepsis-perfusion"))
			.findFirst()
			.orElseThrow();
		ServiceDefinition service = knowledge.service("sepsis-perfusion").orElseThrow();
		Instant recorded = Instant.parse(example.bundle().path("timestamp").asText());
		Instant now = recorded.plus(Duration.ofDays(400));
		JsonNode moved = new ObjectMapper().readTree(
				new String(WarmupCalls.request(service, "patient-view", example, now, true), StandardCharsets.UTF_8));
		List<String> times = new ArrayList<>();
		moved.path("prefetch").findValues("effectiveDateTime").forEach(t -> times.add(t.asText()));
		List<String> original = new ArrayList<>();
		example.bundle().findValues("effectiveDateTime").forEach(t -> original.add(t.asText()));
		assertThat(times).hasSameSizeAs(original).isNotEmpty();
		for (int i = 0; i < times.size(); i++) {
			assertThat(Duration.between(Instant.parse(original.get(i)), Instant.parse(times.get(i))))
				.isEqualTo(Duration.ofDays(400));
		}
		JsonNode withoutPrefetch = new ObjectMapper()
			.readTree(WarmupCalls.request(service, "patient-view", example, now, false));
		assertThat(withoutPrefetch.has("prefetch")).isFalse();
		assertThat(withoutPrefetch.path("context").path("patientId").asText())
			.isEqualTo(moved.path("context").path("patientId").asText());
	}

}
