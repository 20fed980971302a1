package org.critcare.cds.patientdata;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class RemoteFhirReaderTests {

	@Test
	void queriesArePercentEncodedForTheWireKeepingExistingEscapes() {
		assertThat(RemoteFhirReader.uri("https://ehr/fhir/Observation?patient=a%2Fb&code=http://loinc.org|8478-0,x|y z")
			.toString())
			.isEqualTo("https://ehr/fhir/Observation?patient=a%2Fb&code=http://loinc.org%7C8478-0,x%7Cy%20z");
	}

	@Test
	void templateTokensAreFilledUrlEncoded() {
		assertThat(PrefetchQueries.fill("Observation?patient={{context.patientId}}&x={{ userPractitionerId }}",
				Map.of("context.patientId", "a b/c", "userPractitionerId", "u1")))
			.isEqualTo("Observation?patient=a+b%2Fc&x=u1");
	}

	@Test
	void patientDataKeepsTheFirstCopyOfEachResource() {
		var first = new org.hl7.fhir.r4.model.Observation();
		first.setId("o1");
		var duplicate = new org.hl7.fhir.r4.model.Observation();
		duplicate.setId("o1");
		var other = new org.hl7.fhir.r4.model.Observation();
		other.setId("o2");
		PatientData data = PatientData.of(java.util.List.of(first, duplicate, other));
		assertThat(data.ofType("Observation")).containsExactly(first, other);
		assertThat(data.size()).isEqualTo(2);
	}

}
