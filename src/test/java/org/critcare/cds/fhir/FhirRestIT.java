package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.rest.api.MethodOutcome;
import ca.uhn.fhir.rest.api.PatchTypeEnum;
import ca.uhn.fhir.rest.client.api.IGenericClient;
import ca.uhn.fhir.rest.server.exceptions.ResourceGoneException;
import com.fasterxml.jackson.databind.JsonNode;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.hl7.fhir.instance.model.api.IIdType;
import org.hl7.fhir.r4.model.Bundle;
import org.hl7.fhir.r4.model.Enumerations;
import org.hl7.fhir.r4.model.IdType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.OperationOutcome;
import org.hl7.fhir.r4.model.Patient;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * FHIR R4 REST at {@code /fhir} (issue 2): CRUD, vread, history, patch, search by patient
 * and LOINC code, paging, transaction and batch Bundles, {@code $validate},
 * client-assigned ids, and bad input answered with 4xx and nothing stored.
 */
@CdsServerTest
class FhirRestIT {

	@LocalServerPort
	int port;

	IGenericClient fhir;

	Http http;

	@BeforeEach
	void clients() {
		fhir = FhirContext.forR4Cached().newRestfulGenericClient("http://localhost:" + port + "/fhir");
		http = new Http(port);
	}

	@Test
	void aPatientIsCreatedReadUpdatedVersionedPatchedAndDeleted() {
		Patient patient = new Patient();
		patient.addName().setFamily("Sato").addGiven("Hanako");
		MethodOutcome created = fhir.create().resource(patient).execute();
		IIdType id = created.getId().toUnqualifiedVersionless();
		assertThat(created.getCreated()).isTrue();

		Patient read = fhir.read().resource(Patient.class).withId(id).execute();
		assertThat(read.getNameFirstRep().getFamily()).isEqualTo("Sato");
		read.setGender(Enumerations.AdministrativeGender.FEMALE);
		fhir.update().resource(read).execute();
		fhir.patch()
			.withBody("[{\"op\":\"replace\",\"path\":\"/gender\",\"value\":\"other\"}]")
			.withId(id)
			.preferResponseType(Patient.class)
			.execute();

		assertThat(fhir.read().resource(Patient.class).withId(id).execute().getGender())
			.isEqualTo(Enumerations.AdministrativeGender.OTHER);
		assertThat(fhir.read().resource(Patient.class).withId(id.withVersion("1")).execute().hasGender()).isFalse();
		Bundle history = fhir.history().onInstance(id).returnBundle(Bundle.class).execute();
		assertThat(history.getEntry()).hasSize(3);

		fhir.delete().resourceById(id).execute();
		assertThatThrownBy(() -> fhir.read().resource(Patient.class).withId(id).execute())
			.isInstanceOf(ResourceGoneException.class);
	}

	@Test
	void clientAssignedIdsAreKept() {
		Http.Response put = http.put("/fhir/Patient/rest-client-id",
				"{\"resourceType\":\"Patient\",\"id\":\"rest-client-id\",\"gender\":\"male\"}");
		assertThat(put.status()).isEqualTo(201);
		assertThat(fhir.read().resource(Patient.class).withId("rest-client-id").execute().getIdElement().getIdPart())
			.isEqualTo("rest-client-id");
	}

	@Test
	void observationsAreFoundByPatientAndLoincCodeAndPaged() {
		Patient patient = new Patient();
		patient.setId("rest-search");
		fhir.update().resource(patient).execute();
		for (String[] obs : List.of(new String[] { "rest-lac-art", "2518-9" },
				new String[] { "rest-lac-ven", "2519-7" }, new String[] { "rest-map", "8478-0" })) {
			Observation observation = new Observation();
			observation.setId(obs[0]);
			observation.setStatus(Observation.ObservationStatus.FINAL);
			observation.getCode().addCoding().setSystem("http://loinc.org").setCode(obs[1]);
			observation.setSubject(new Reference("Patient/rest-search"));
			observation.setValue(new Quantity(3.1));
			fhir.update().resource(observation).execute();
		}
		assertThat(ids("/fhir/Observation?patient=rest-search&code=http://loinc.org%7C2518-9"))
			.containsExactly("rest-lac-art");
		assertThat(
				ids("/fhir/Observation?patient=rest-search&code=http://loinc.org%7C2518-9,http://loinc.org%7C8478-0"))
			.containsExactlyInAnyOrder("rest-lac-art", "rest-map");

		JsonNode firstPage = http.get("/fhir/Observation?patient=rest-search&_count=2").json();
		assertThat(firstPage.path("entry")).hasSize(2);
		String next = null;
		for (JsonNode link : firstPage.path("link")) {
			if (link.path("relation").asText().equals("next")) {
				next = link.path("url").asText();
			}
		}
		assertThat(next).isNotNull();
		JsonNode secondPage = http.get(next.substring(next.indexOf("/fhir"))).json();
		assertThat(secondPage.path("entry")).hasSize(1);
	}

	@Test
	void aTransactionBundleIsStoredWholeAndAFailingOneStoresNothing() {
		String ok = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"fullUrl":"urn:uuid:8c2e3a38-8c5e-4bde-9a51-1f1c1a5c0001","resource":{"resourceType":"Patient","gender":"male"},
				  "request":{"method":"POST","url":"Patient"}},
				 {"resource":{"resourceType":"Observation","status":"final","code":{"coding":[{"system":"http://loinc.org","code":"8478-0"}]},
				  "subject":{"reference":"urn:uuid:8c2e3a38-8c5e-4bde-9a51-1f1c1a5c0001"},"valueQuantity":{"value":60}},
				  "request":{"method":"POST","url":"Observation"}}]}""";
		Http.Response stored = http.post("/fhir", ok, Map.of("Content-Type", "application/fhir+json"));
		assertThat(stored.status()).isEqualTo(200);
		String observation = stored.json().path("entry").get(1).path("response").path("location").asText();
		String patient = stored.json().path("entry").get(0).path("response").path("location").asText();
		Observation read = fhir.read().resource(Observation.class).withUrl(observation).execute();
		assertThat(read.getSubject().getReference())
			.isEqualTo(new IdType(patient).toUnqualifiedVersionless().getValue());

		int before = count("Patient");
		String failing = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"resource":{"resourceType":"Patient","id":"rest-tx-rolled-back"},"request":{"method":"PUT","url":"Patient/rest-tx-rolled-back"}},
				 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"x"},"subject":{"reference":"Patient/does-not-exist"}},
				  "request":{"method":"POST","url":"Observation"}}]}""";
		assertThat(http.post("/fhir", failing, Map.of("Content-Type", "application/fhir+json")).status()).isBetween(400,
				499);
		assertThat(count("Patient")).isEqualTo(before);
		assertThat(http.get("/fhir/Patient/rest-tx-rolled-back").status()).isEqualTo(404);
	}

	@Test
	void aBatchBundleAnswersEachEntry() {
		String batch = """
				{"resourceType":"Bundle","type":"batch","entry":[
				 {"resource":{"resourceType":"Patient","id":"rest-batch"},"request":{"method":"PUT","url":"Patient/rest-batch"}},
				 {"request":{"method":"GET","url":"Patient/rest-batch-missing"}}]}""";
		JsonNode response = http.post("/fhir", batch, Map.of("Content-Type", "application/fhir+json")).json();
		assertThat(response.path("type").asText()).isEqualTo("batch-response");
		assertThat(response.path("entry").get(0).path("response").path("status").asText()).startsWith("201");
		assertThat(response.path("entry").get(1).path("response").path("status").asText()).startsWith("404");
	}

	@Test
	void aMalformedOrInvalidBodyIs4xxAndStoresNothing() {
		int before = count("Observation");
		Map<String, String> fhirJson = Map.of("Content-Type", "application/fhir+json");
		assertThat(http.post("/fhir/Observation", "{\"resourceType\":\"Observation\",\"status\":", fhirJson).status())
			.isEqualTo(400);
		assertThat(http.post("/fhir/Observation", "{\"resourceType\":\"Observation\",\"status\":\"bogus\"}", fhirJson)
			.status()).isEqualTo(400);
		assertThat(http.post("/fhir/Observation", "{\"resourceType\":\"Patient\"}", fhirJson).status()).isEqualTo(400);
		assertThat(count("Observation")).isEqualTo(before);
	}

	@Test
	void aBodyWhosePartsWouldBeDroppedIs400AndStoresNothing() {
		// HAPI's lenient parser would store these without the part, and acknowledge them
		Map<String, String> fhirJson = Map.of("Content-Type", "application/fhir+json");
		String start = "{\"resourceType\":\"Observation\",\"id\":\"rest-dropped\",";
		Map<String, String> refused = Map.of( //
				"\"status\":\"final\",\"code\":{\"text\":\"MAP\"},\"valueQuantity\":\"58\"}",
				"'valueQuantity': expected an object, found a value", //
				"\"status\":[\"final\",\"amended\"],\"code\":{\"text\":\"MAP\"}}", "'status'", //
				"\"status\":\"final\",\"code\":{\"text\":\"MAP\"},\"valueQuantity\":{\"value\":58,\"units\":\"mmHg\"}}",
				"'units'");
		refused.forEach((rest, message) -> {
			Http.Response put = http.put("/fhir/Observation/rest-dropped", start + rest);
			assertThat(put.status()).as(rest).isEqualTo(400);
			assertThat(put.json().path("issue").get(0).path("diagnostics").asText()).as(rest).contains(message);
		});
		String transaction = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				 {"resource":{"resourceType":"Patient","id":"rest-dropped-p"},"request":{"method":"PUT","url":"Patient/rest-dropped-p"}},
				 {"resource":{"resourceType":"Observation","status":"final","code":{"text":"MAP"},"valueQuantity":"58",
				  "subject":{"reference":"Patient/rest-dropped-p"}},"request":{"method":"POST","url":"Observation"}}]}""";
		assertThat(http.post("/fhir", transaction, fhirJson).status()).isEqualTo(400);
		assertThat(http.get("/fhir/Observation/rest-dropped").status()).isEqualTo(404);
		assertThat(http.get("/fhir/Patient/rest-dropped-p").status()).isEqualTo(404);

		// a number sent as a string keeps its value: accepted, stored as a number
		Http.Response accepted = http.put("/fhir/Observation/rest-dropped",
				start + "\"status\":\"final\",\"code\":{\"text\":\"MAP\"},\"valueQuantity\":{\"value\":\"58\"}}");
		assertThat(accepted.status()).isEqualTo(201);
		assertThat(http.get("/fhir/Observation/rest-dropped").json().path("valueQuantity").path("value").decimalValue())
			.isEqualByComparingTo("58");
	}

	@Test
	void validateReportsErrorsOfAnInvalidResourceWithTheR4Validator() {
		Observation invalid = new Observation();
		invalid.setValue(new Quantity(1));
		Http.Response response = http.post("/fhir/Observation/$validate",
				FhirContext.forR4Cached().newJsonParser().encodeResourceToString(invalid),
				Map.of("Content-Type", "application/fhir+json"));
		OperationOutcome outcome = FhirContext.forR4Cached()
			.newJsonParser()
			.parseResource(OperationOutcome.class, response.body());
		assertThat(outcome.getIssue()).anySatisfy(issue -> {
			assertThat(issue.getSeverity()).isEqualTo(OperationOutcome.IssueSeverity.ERROR);
			assertThat(issue.getDiagnostics()).contains("Observation.status");
		});
	}

	@Test
	void theCapabilityStatementDescribesR4WithApplyAndEvaluate() {
		JsonNode metadata = http.get("/fhir/metadata").json();
		assertThat(metadata.path("fhirVersion").asText()).isEqualTo("4.0.1");
		List<String> operations = new ArrayList<>();
		metadata.findValues("operation").forEach(list -> list.forEach(o -> operations.add(o.path("name").asText())));
		assertThat(operations).contains("apply", "evaluate");
	}

	private int count(String type) {
		return http.get("/fhir/" + type + "?_summary=count").json().path("total").asInt();
	}

	private List<String> ids(String search) {
		List<String> ids = new java.util.ArrayList<>();
		http.get(search).json().path("entry").forEach(e -> ids.add(e.path("resource").path("id").asText()));
		return ids;
	}

}
