package org.critcare.cds.cdshooks;

import org.critcare.cds.limits.RequestLimits;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.critcare.cds.patientdata.Prefetched;
import org.critcare.cds.recommendation.HookCall;
import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

class HookRequestParserTests {

	final HookRequestParser parser = new HookRequestParser(new CdsHooksJson(FhirContext.forR4Cached()),
			FhirContext.forR4Cached(), new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
			new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 5000, 500, 100)));

	@Test
	void aHookInstanceThatIsNotAUuidIsRejectedBeforeItCanReachALog() {
		for (String instance : List.of("i", "0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\\nforged line",
				"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e0", "x".repeat(100_000))) {
			assertThatThrownBy(() -> parse("""
					{"hook":"patient-view","hookInstance":"%s","context":{"patientId":"p1"}}""".formatted(instance)))
				.isInstanceOfSatisfying(InvalidHookRequestException.class,
						e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_HOOK_INSTANCE));
		}
	}

	@Test
	void aPatientIdThatIsNotAFhirIdIsRejected() {
		for (String patient : List.of("a/b", "../Patient/x", "p 1", "x".repeat(65))) {
			assertThatThrownBy(() -> parse("""
					{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e",
					 "context":{"patientId":"%s"}}""".formatted(patient))).isInstanceOfSatisfying(
					InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
		}
	}

	@Test
	void theAppsPatientViewCallIsTheCallOfAnEhrWithoutPrefetch() {
		HookCall ehr = parse("""
				{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e",
				 "context":{"patientId":"p1"}}""").call();
		HookRequest app = parser.patientView("sepsis-perfusion", "p1", "ja;q=0.9, en;q=0.5");
		assertThat(app.call()).isEqualTo(new HookCall("sepsis-perfusion", ehr.hook(), ehr.patientId(), ehr.tokens(),
				ehr.prefetch(), ehr.fhirServer(), ehr.draftOrders(), ehr.cqlParameters(), "ja"));
		assertThatThrownBy(() -> parser.patientView("sepsis-perfusion", "../Patient/x", null)).isInstanceOfSatisfying(
				InvalidHookRequestException.class, e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
	}

	@Test
	void aFhirServerWithUserInformationIsRejected() {
		for (String server : List.of("http://localhost@127.0.0.1:8080/fhir", "http://user:pw@ehr/fhir",
				"https://ehr/fhir#frag")) {
			assertThatThrownBy(() -> parse("""
					{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e",
					 "context":{"patientId":"p"},"fhirServer":"%s"}""".formatted(server))).isInstanceOfSatisfying(
					InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_FHIR_SERVER));
		}
	}

	@Test
	void prefetchOverTheEntryLimitIsRefused() {
		String entry = "{\"resource\":{\"resourceType\":\"Observation\",\"id\":\"o\",\"status\":\"final\",\"code\":{\"text\":\"x\"}}}";
		String atLimit = """
				{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p"},
				 "prefetch":{"patient":{"resourceType":"Patient","id":"p"},
				  "obs":{"resourceType":"Bundle","type":"searchset","entry":[%s]}}}""";
		HookRequestParser small = new HookRequestParser(new CdsHooksJson(FhirContext.forR4Cached()),
				FhirContext.forR4Cached(), new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
				new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 3, 500, 100)));
		assertThat(small.parse("s", bytes(atLimit.formatted(entry + "," + entry)), null).call().prefetch()).hasSize(2);
		assertThatThrownBy(() -> small.parse("s", bytes(atLimit.formatted(entry + "," + entry + "," + entry)), null))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.PREFETCH_TOO_LARGE));
		// a null value (no data) holds no resource
		String withNoData = atLimit.replace("\"prefetch\":{", "\"prefetch\":{\"conditions\":null,\"meds\":null,");
		assertThat(small.parse("s", bytes(withNoData.formatted(entry + "," + entry)), null).call().prefetch())
			.hasSize(4);
	}

	@Test
	void prefetchValuesAreNoDataResourcesOrSearchsetEntriesWithTheirNextPage() {
		HookCall call = parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1","userId":"Practitioner/u7"},
						 "prefetch":{"patient":{"resourceType":"Patient","id":"p1"},"condition":null,
						  "observation":{"resourceType":"Bundle","type":"searchset",
						   "link":[{"relation":"next","url":"https://ehr/fhir?page=2"}],
						   "entry":[{"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"}},
						             "search":{"mode":"match"}},
						            {"resource":{"resourceType":"Patient","id":"p1"},"search":{"mode":"include"}}]},
						  "medicationAdministration":{"resourceType":"OperationOutcome","issue":[]}}}""")
			.call();
		assertThat(call.prefetch().get("patient")).isInstanceOf(Prefetched.Resources.class);
		assertThat(call.prefetch().get("condition")).isInstanceOf(Prefetched.NoData.class);
		Prefetched.Resources observations = (Prefetched.Resources) call.prefetch().get("observation");
		assertThat(observations.resources()).hasSize(1);
		assertThat(observations.nextPage()).isEqualTo("https://ehr/fhir?page=2");
		assertThat(call.prefetch()).doesNotContainKey("medicationAdministration");
		assertThat(call.tokens()).containsEntry("context.patientId", "p1").containsEntry("userPractitionerId", "u7");
	}

	@Test
	void searchsetEntriesAreTheMatchesInOrderAndAMalformedEntryIsRejected() {
		HookCall call = parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"},
						 "prefetch":{"observation":{"resourceType":"Bundle","type":"searchset","total":3,
						   "entry":[{"resource":{"resourceType":"Observation","id":"o1","status":"final","code":{"text":"x"},
						              "subject":{"reference":"Patient/p1"}}},
						            {"fullUrl":"urn:uuid:no-resource"},
						            {"resource":{"resourceType":"OperationOutcome","issue":[]},"search":{"mode":"outcome"}},
						            {"resource":{"resourceType":"Observation","id":"o2","status":"final","code":{"text":"y"}},
						             "search":{"mode":"match"}}]},
						  "empty":{"resourceType":"Bundle","type":"searchset","total":0}}}""")
			.call();
		Prefetched.Resources observations = (Prefetched.Resources) call.prefetch().get("observation");
		assertThat(observations.resources()).extracting(r -> r.getIdElement().getIdPart()).containsExactly("o1", "o2");
		assertThat(observations.nextPage()).isNull();
		assertThat(((Prefetched.Resources) call.prefetch().get("empty")).resources()).isEmpty();

		for (String entry : List.of("{\"resource\":{\"resourceType\":\"NoSuchResource\"}}", "{\"resource\":[]}",
				"\"text\"")) {
			assertThatThrownBy(() -> parse(
					"""
							{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"},
							 "prefetch":{"observation":{"resourceType":"Bundle","type":"searchset","entry":[%s]}}}"""
						.formatted(entry)))
				.as(entry)
				.isInstanceOfSatisfying(InvalidHookRequestException.class,
						e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_PREFETCH));
		}
		assertThatThrownBy(() -> parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"},
						 "prefetch":{"observation":{"resourceType":"Bundle","type":"searchset","entry":{}}}}"""))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_PREFETCH));
	}

	@Test
	void prefetchWhoseValuesWouldBeLeftOutIsRefusedAndContentR4DoesNotDefineIsNot() {
		String call = """
				{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"},
				 "prefetch":{"o":{"resourceType":"Observation","status":"final","code":{"text":"MAP"},%s}}}""";
		// the MAP would be evaluated as absent
		assertThatThrownBy(() -> parse(call.formatted("\"valueQuantity\":\"58\""))).isInstanceOfSatisfying(
				InvalidHookRequestException.class, e -> assertThat(e).hasMessage("prefetch 'o' is not a valid FHIR R4 "
						+ "resource: 'valueQuantity': expected an object, found a value"));
		assertThatThrownBy(() -> parse(call.formatted("\"effectiveDateTime\":[\"2026-12-03\",\"2026-12-02\"]")))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_PREFETCH));
		// an element of a later FHIR version or an EHR's own, which no logic reads
		var observation = (org.hl7.fhir.r4.model.Observation) ((Prefetched.Resources) parse(
				call.formatted("\"valueQuantity\":{\"value\":58},\"triggeredBy\":[]"))
			.call()
			.prefetch()
			.get("o")).resources().get(0);
		assertThat(observation.getValueQuantity().getValue()).isEqualByComparingTo("58");
	}

	@Test
	void decimalsInPrefetchKeepTheirPrecision() {
		HookCall call = parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p1"},
						 "prefetch":{"o":{"resourceType":"Observation","status":"final","code":{"text":"x"},
						  "valueQuantity":{"value":2.9966}}}}""")
			.call();
		var observation = (org.hl7.fhir.r4.model.Observation) ((Prefetched.Resources) call.prefetch().get("o"))
			.resources()
			.get(0);
		assertThat(observation.getValueQuantity().getValueElement().getValueAsString()).isEqualTo("2.9966");
	}

	@Test
	void theLanguageFollowsAcceptLanguageAmongTheOfferedOnes() {
		String body = "{\"hook\":\"patient-view\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{\"patientId\":\"p\"}}";
		assertThat(parser.parse("s", bytes(body), "ja-JP,ja;q=0.9,en;q=0.8").call().language()).isEqualTo("ja");
		assertThat(parser.parse("s", bytes(body), "fr-FR, en;q=0.5").call().language()).isEqualTo("en");
		assertThat(parser.parse("s", bytes(body), "de").call().language()).isEqualTo("en");
		assertThat(parser.parse("s", bytes(body), "not a language range;;").call().language()).isEqualTo("en");
		assertThat(parser.parse("s", bytes(body), null).call().language()).isEqualTo("en");
	}

	@Test
	void orderHooksNeedDraftOrdersAndOrderSelectNeedsSelections() {
		assertThatThrownBy(() -> parse(
				"{\"hook\":\"order-sign\",\"hookInstance\":\"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e\",\"context\":{\"patientId\":\"p\"}}"))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
		assertThatThrownBy(() -> parse("""
				{"hook":"order-select","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p",
				 "draftOrders":{"resourceType":"Bundle","type":"collection"}}}""")).isInstanceOfSatisfying(
				InvalidHookRequestException.class, e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_CONTEXT));
	}

	@Test
	void aDraftOrderWhoseValuesWouldBeLeftOutIsRefused() {
		// the medication would be read as absent
		assertThatThrownBy(() -> parse("""
				{"hook":"order-sign","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p",
				 "draftOrders":{"resourceType":"Bundle","type":"collection","entry":[{"resource":
				  {"resourceType":"MedicationRequest","id":"mr","status":"draft","intent":"order",
				   "medicationCodeableConcept":"cefiderocol","subject":{"reference":"Patient/p"}}}]}}}"""))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e).hasMessage("context.draftOrders has an entry that is not a valid FHIR R4 "
							+ "resource: 'medicationCodeableConcept': expected an object, found a value"));
	}

	@Test
	void aFhirServerMustBeAnHttpUrlAndItsTokenIsKeptForTheCallOnly() {
		assertThatThrownBy(() -> parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p"},"fhirServer":"file:///etc"}"""))
			.isInstanceOfSatisfying(InvalidHookRequestException.class,
					e -> assertThat(e.error()).isEqualTo(CdsHooksError.INVALID_FHIR_SERVER));
		HookCall call = parse(
				"""
						{"hook":"patient-view","hookInstance":"0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e","context":{"patientId":"p"},"fhirServer":"https://ehr/fhir",
						 "fhirAuthorization":{"access_token":"tok","token_type":"Bearer"}}""")
			.call();
		assertThat(call.fhirServer()).get().satisfies(s -> {
			assertThat(s.baseUrl()).isEqualTo("https://ehr/fhir");
			assertThat(s.accessToken()).isEqualTo("tok");
			assertThat(s.toString()).doesNotContain("tok");
		});
	}

	private HookRequest parse(String json) {
		return parser.parse("sepsis-perfusion", bytes(json), null);
	}

	private static byte[] bytes(String json) {
		return json.getBytes(StandardCharsets.UTF_8);
	}

}
