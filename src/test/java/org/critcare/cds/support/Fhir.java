package org.critcare.cds.support;

import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;

/** FHIR R4 JSON test resources, with times given as offsets from now. */
public final class Fhir {

	private Fhir() {
	}

	public static String at(Duration offset) {
		return Instant.now().plus(offset).truncatedTo(ChronoUnit.SECONDS).toString();
	}

	public static String patient(String id) {
		return """
				{"resourceType":"Patient","id":"%s","gender":"female","birthDate":"1950-03-01"}""".formatted(id);
	}

	public static String condition(String id, String patient, String system, String code) {
		return """
				{"resourceType":"Condition","id":"%s","subject":{"reference":"Patient/%s"},
				 "clinicalStatus":{"coding":[{"system":"http://terminology.hl7.org/CodeSystem/condition-clinical","code":"active"}]},
				 "code":{"coding":[{"system":"%s","code":"%s"}]}}"""
			.formatted(id, patient, system, code);
	}

	public static String septicShock(String id, String patient) {
		return condition(id, patient, "http://snomed.info/sct", "76571007");
	}

	public static String norepinephrineRunning(String id, String patient) {
		return """
				{"resourceType":"MedicationAdministration","id":"%s","status":"in-progress",
				 "medicationCodeableConcept":{"coding":[{"system":"http://www.nlm.nih.gov/research/umls/rxnorm","code":"7512"}]},
				 "subject":{"reference":"Patient/%s"},"effectivePeriod":{"start":"%s"}}"""
			.formatted(id, patient, at(Duration.ofHours(-3)));
	}

	public static String observation(String id, String patient, String loinc, String value, String unit, Duration age) {
		return """
				{"resourceType":"Observation","id":"%s","status":"final",
				 "code":{"coding":[{"system":"http://loinc.org","code":"%s"}]},
				 "subject":{"reference":"Patient/%s"},"effectiveDateTime":"%s",
				 "valueQuantity":{"value":%s,"unit":"%s","system":"http://unitsofmeasure.org","code":"%s"}}"""
			.formatted(id, loinc, patient, at(age.negated()), value, unit, unit);
	}

	public static String map(String id, String patient, String mmHg, Duration age) {
		return observation(id, patient, "8478-0", mmHg, "mm[Hg]", age);
	}

	public static String lactate(String id, String patient, String mmolPerL, Duration age) {
		return observation(id, patient, "2518-9", mmolPerL, "mmol/L", age);
	}

	public static String searchset(String... resources) {
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"searchset\",\"entry\":[");
		for (int i = 0; i < resources.length; i++) {
			bundle.append(i == 0 ? "" : ",").append("{\"resource\":").append(resources[i]).append('}');
		}
		return bundle.append("]}").toString();
	}

	public static String transaction(String... resources) {
		StringBuilder bundle = new StringBuilder("{\"resourceType\":\"Bundle\",\"type\":\"transaction\",\"entry\":[");
		for (int i = 0; i < resources.length; i++) {
			var json = Http.json(resources[i]);
			String url = json.get("resourceType").asText() + "/" + json.get("id").asText();
			bundle.append(i == 0 ? "" : ",")
				.append("{\"resource\":")
				.append(resources[i])
				.append(",\"request\":{\"method\":\"PUT\",\"url\":\"")
				.append(url)
				.append("\"}}");
		}
		return bundle.append("]}").toString();
	}

	/**
	 * A patient-view request for the patient, with the given JSON fragments added to it.
	 */
	public static String patientView(String patient, String... extra) {
		StringBuilder request = new StringBuilder("{\"hook\":\"patient-view\",\"hookInstance\":\"")
			.append(java.util.UUID.randomUUID())
			.append("\",\"context\":{\"patientId\":\"")
			.append(patient)
			.append("\",\"userId\":\"Practitioner/p1\"}");
		for (String fragment : extra) {
			request.append(',').append(fragment);
		}
		return request.append('}').toString();
	}

}
