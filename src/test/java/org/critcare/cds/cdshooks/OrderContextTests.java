package org.critcare.cds.cdshooks;

import org.critcare.cds.limits.RequestLimits;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.cql.CqlEvaluator;
import org.critcare.cds.cql.CqlSource;
import org.critcare.cds.patientdata.PatientData;
import org.critcare.cds.recommendation.HookCall;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The order context of CDS Hooks 2.0 as the CQL sees it (issue 9, CLINICAL-SPEC §0):
 * order-select evaluates the selections and counts the other drafts and the stored active
 * orders as co-orders; order-sign evaluates every draft; a patient-view call evaluates
 * none. Runs the shipped OrderContext library through a test library
 * (src/test/resources/cql/OrderContextProbe.cql) on requests parsed as the server parses
 * them.
 */
class OrderContextTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static final String DRAFTS = """
			{"resourceType":"Bundle","type":"collection","entry":[
			 {"resource":{"resourceType":"MedicationRequest","id":"mr-a","status":"draft","intent":"order",
			   "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
			     "code":"29561","display":"meropenem"}]},"subject":{"reference":"Patient/p1"}}},
			 {"fullUrl":"https://ehr.example.org/fhir/MedicationRequest/mr-b",
			  "resource":{"resourceType":"MedicationRequest","id":"mr-b","status":"active","intent":"order",
			   "medicationReference":{"reference":"Medication/med-1"},"subject":{"reference":"Patient/p1"}}},
			 {"fullUrl":"urn:uuid:3f1c2a9e-0b7d-4c55-9a51-0d2f7e8c1b42",
			  "resource":{"resourceType":"MedicationRequest","status":"draft","intent":"order",
			   "contained":[{"resourceType":"Medication","id":"m","code":{"coding":[
			     {"system":"http://example.org/cds/CodeSystem/local","code":"meropenem"}]}}],
			   "medicationReference":{"reference":"#m"},"subject":{"reference":"Patient/p1"}}},
			 {"resource":{"resourceType":"Medication","id":"med-1","code":{"coding":[
			   {"system":"http://example.org/cds/CodeSystem/local","code":"meropenem"}]}}},
			 {"resource":{"resourceType":"MedicationRequest","id":"mr-c","status":"draft","intent":"order",
			   "medicationReference":{"reference":"urn:uuid:0c6f6b1e-5d1a-4f0e-9b7e-2a1d3c4b5e6f"},
			   "subject":{"reference":"Patient/p1"}}},
			 {"fullUrl":"urn:uuid:0c6f6b1e-5d1a-4f0e-9b7e-2a1d3c4b5e6f",
			  "resource":{"resourceType":"Medication","id":"med-2","code":{"coding":[
			   {"system":"http://example.org/cds/CodeSystem/local","code":"meropenem"}]}}},
			 {"resource":{"resourceType":"ServiceRequest","id":"sr-1","status":"draft","intent":"order",
			   "code":{"text":"Rescue balloon angioplasty"},"subject":{"reference":"Patient/p1"}}}]}""";

	static final String UUID_ORDER = "MedicationRequest/3f1c2a9e-0b7d-4c55-9a51-0d2f7e8c1b42";

	static final HookRequestParser parser = new HookRequestParser(new CdsHooksJson(FhirContext.forR4Cached()), FHIR,
			new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
			new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 5000, 500, 100)));

	static CqlEvaluator evaluator;

	@BeforeAll
	static void compile() throws IOException {
		List<CqlSource> sources = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("cql"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".cql")).toList()) {
				sources.add(new CqlSource(file.toString(), Files.readString(file)));
			}
		}
		Path probe = Path.of("src/test/resources/cql/OrderContextProbe.cql");
		sources.add(new CqlSource(probe.toString(), Files.readString(probe)));
		IBaseResource meropenem = FHIR.newJsonParser()
			.parseResource(Files.readString(Path.of("fhir-resources/ValueSet/ValueSet-meropenem.json")));
		evaluator = new CqlEvaluator(new CqlCompiler().compile(sources), List.of(meropenem), FHIR);
	}

	@Test
	void orderSelectEvaluatesTheSelectionAndCountsOtherDraftsAndStoredActiveOrdersAsCoOrders() {
		Map<String, Object> values = evaluate("order-select", "[\"MedicationRequest/mr-a\"]");
		assertThat(values.get("Evaluated Medication Orders")).isEqualTo(List.of("MedicationRequest/mr-a"));
		assertThat(values.get("Evaluated Medication Names")).isEqualTo(List.of("meropenem"));
		assertThat(values.get("Medication Co-Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/mr-b", UUID_ORDER, "MedicationRequest/mr-c",
					"MedicationRequest/stored-active");
		assertThat(values.get("Evaluated Service Orders")).isEqualTo(List.of());
		assertThat(values.get("Service Co-Orders")).isEqualTo(List.of("ServiceRequest/sr-1"));
	}

	@Test
	void orderSelectMatchesSelectionsGivenAsAbsoluteUrlsOrFullUrls() {
		Map<String, Object> values = evaluate("order-select",
				"[\"https://ehr.example.org/fhir/MedicationRequest/mr-b\","
						+ "\"urn:uuid:3f1c2a9e-0b7d-4c55-9a51-0d2f7e8c1b42\",\"ServiceRequest/sr-1\"]");
		assertThat(values.get("Evaluated Medication Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/mr-b", UUID_ORDER);
		assertThat(values.get("Medication Co-Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/mr-a", "MedicationRequest/mr-c",
					"MedicationRequest/stored-active");
		assertThat(values.get("Evaluated Service Orders")).isEqualTo(List.of("ServiceRequest/sr-1"));
		assertThat(values.get("Service Co-Orders")).isEqualTo(List.of());
	}

	@Test
	void orderSignEvaluatesEveryDraftWhateverItsStatusAndOnlyStoredActiveOrdersAreCoOrders() {
		Map<String, Object> values = evaluate("order-sign", null);
		assertThat(values.get("Evaluated Medication Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/mr-a", "MedicationRequest/mr-b", UUID_ORDER,
					"MedicationRequest/mr-c");
		assertThat(values.get("Medication Co-Orders")).isEqualTo(List.of("MedicationRequest/stored-active"));
		assertThat(values.get("Evaluated Service Orders")).isEqualTo(List.of("ServiceRequest/sr-1"));
	}

	@Test
	void aDraftWinsOverAStoredCopyAndMedicationReferencesResolveInTheOrderOrTheRequest() {
		Map<String, Object> values = evaluate("order-sign", null);
		// mr-a by its code, mr-b through Medication/med-1 of the Bundle, the uuid order
		// through its contained Medication, mr-c through the urn:uuid fullUrl of
		// Medication/med-2; the stored copy of mr-a (amikacin) is not seen
		assertThat(values.get("Meropenem Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/mr-a", "MedicationRequest/mr-b", UUID_ORDER,
					"MedicationRequest/mr-c");
	}

	@Test
	void aPatientViewCallEvaluatesNoOrder() {
		HookCall call = parser
			.parse("s",
					"""
							{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"}}"""
						.getBytes(StandardCharsets.UTF_8),
					null)
			.call();
		assertThat(call.cqlParameters()).containsEntry("HookName", "patient-view")
			.containsEntry("DraftOrderIds", List.of())
			.containsEntry("SelectedOrderIds", List.of());
		Map<String, Object> values = evaluate(call);
		assertThat(values.get("Evaluated Medication Orders")).isEqualTo(List.of());
		assertThat(values.get("Medication Co-Orders")).asList()
			.containsExactlyInAnyOrder("MedicationRequest/stored-active", "MedicationRequest/mr-a");
	}

	@Test
	void aDraftThatIsNotFhirOrASelectionThatIsNotAStringIs400() {
		assertThatThrownBy(() -> parse("order-sign",
				"{\"resourceType\":\"Bundle\",\"type\":\"collection\",\"entry\":[{\"resource\":{\"resourceType\":\"Nope\"}}]}",
				null))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
		assertThatThrownBy(() -> parse("order-select", DRAFTS, "[42]")).isInstanceOfSatisfying(
				InvalidHookRequestException.class, e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
	}

	private Map<String, Object> evaluate(String hook, String selections) {
		HookCall call = parse(hook, DRAFTS, selections);
		assertThat(call.cqlParameters()).containsEntry("HookName", hook);
		assertThat(call.cqlParameters().get("DraftOrderIds")).asList()
			.containsExactly("MedicationRequest/mr-a", "MedicationRequest/mr-b", UUID_ORDER, "MedicationRequest/mr-c",
					"ServiceRequest/sr-1");
		return evaluate(call);
	}

	private Map<String, Object> evaluate(HookCall call) {
		PatientData data = PatientData.of(stored()).withFirst(call.draftOrders());
		return evaluator.open("OrderContextProbe", "p1", data, call.cqlParameters(), ZonedDateTime.now())
			.evaluate(List.of("Evaluated Medication Orders", "Medication Co-Orders", "Evaluated Service Orders",
					"Service Co-Orders", "Meropenem Orders", "Evaluated Medication Names"));
	}

	private static HookCall parse(String hook, String drafts, String selections) {
		String body = "{\"hook\":\"" + hook
				+ "\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{\"patientId\":\"p1\","
				+ "\"draftOrders\":" + drafts + (selections == null ? "" : ",\"selections\":" + selections) + "}}";
		return parser.parse("s", body.getBytes(StandardCharsets.UTF_8), null).call();
	}

	/**
	 * The stored record: an active order, a stored draft, a stopped one, a copy of mr-a.
	 */
	private static List<IBaseResource> stored() {
		List<IBaseResource> resources = new ArrayList<>();
		for (String[] order : List.of(new String[] { "stored-active", "active" },
				new String[] { "stored-draft", "draft" }, new String[] { "stored-stopped", "stopped" },
				new String[] { "mr-a", "active" })) {
			resources.add(FHIR.newJsonParser().parseResource("""
					{"resourceType":"MedicationRequest","id":"%s","status":"%s","intent":"order",
					 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm",
					   "code":"641"}]},"subject":{"reference":"Patient/p1"}}""".formatted(order[0], order[1])));
		}
		return resources;
	}

}
