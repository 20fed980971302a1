package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.util.TimeZone;
import org.hl7.fhir.r4.model.BaseDateTimeType;
import org.hl7.fhir.r4.model.BooleanType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.DateType;
import org.hl7.fhir.r4.model.InstantType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.StringType;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opencds.cqf.cql.engine.fhir.model.R4FhirModelResolver;
import org.opencds.cqf.cql.engine.runtime.BaseTemporal;
import org.opencds.cqf.cql.engine.runtime.DateTime;

/**
 * The resolver's shortcuts give exactly the values of the engine's own R4 model resolver.
 */
class PathResolvingR4ModelResolverTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	final R4FhirModelResolver engine = new R4FhirModelResolver(FHIR);

	final PathResolvingR4ModelResolver resolver = new PathResolvingR4ModelResolver(FHIR);

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-21T08:15:30.123+09:00", "2026-11-21T08:15:30Z", "2026-11-21T08:15:30.1-03:30",
			"2026-11-21T08:15:30.12345+05:45", "2026-11-21T23:59:59.999+14:00", "2026-11-21T00:00:00-12:00",
			"2024-02-29T12:00:00+01:00", "2026-11-21T08:15:30", "2026-11-21T08:15:30.5", "2026-11-21", "2026-11",
			"2026", "1582-10-20T10:00:00Z", "0900-01-01" })
	void dateTimeValuesAreTheEnginesDateTimes(String value) {
		assertSameTemporal(new DateTimeType(value));
	}

	@ParameterizedTest
	@ValueSource(
			strings = { "2026-11-21T08:15:30.123Z", "2026-11-21T08:15:30+09:00", "2026-11-21T08:15:30.123456-07:00" })
	void instantValuesAreTheEnginesDateTimes(String value) {
		assertSameTemporal(new InstantType(value));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Asia/Tokyo", "America/New_York", "Australia/Adelaide", "UTC" })
	void valuesWithoutAZoneTakeTheServersZoneAsTheEngineDoes(String zone) {
		TimeZone before = TimeZone.getDefault();
		TimeZone.setDefault(TimeZone.getTimeZone(zone));
		try {
			assertSameTemporal(new DateTimeType("2026-07-01T08:15:30"));
			assertSameTemporal(new DateTimeType("2026-01-01T08:15:30.250"));
		}
		finally {
			TimeZone.setDefault(before);
		}
	}

	@ParameterizedTest
	@ValueSource(strings = { "2026-11-21", "2026-11", "2026" })
	void datesKeepTheEnginesConversion(String value) {
		assertSameTemporal(new DateType(value));
	}

	@org.junit.jupiter.api.Test
	void dottedPathsResolveAsTheEngineResolvesThem() {
		Observation observation = new Observation();
		observation.setEffective(new DateTimeType("2026-11-21T08:15:30+09:00"));
		observation.setValue(new Quantity().setValue(58).setUnit("mmHg").setCode("mm[Hg]"));
		for (String path : new String[] { "value.code", "value.value", "status", "effective", "effective.value" }) {
			Object ours = resolver.resolvePath(observation, path);
			Object theirs = engine.resolvePath(observation, path);
			if (theirs instanceof BaseTemporal temporal) {
				assertThat(((BaseTemporal) ours).compare(temporal, false)).as(path).isZero();
			}
			else {
				assertThat(ours).as(path).isEqualTo(theirs);
			}
		}
		assertThat(resolver.resolvePath(new DateTimeType(), "value")).isNull();
	}

	@org.junit.jupiter.api.Test
	void propertiesOfResourcesAndDataTypesAreTheEnginesWhetherLookedUpFirstOrRemembered() {
		Observation observation = new Observation();
		observation.setStatus(Observation.ObservationStatus.FINAL);
		observation.getCode().addCoding().setSystem("http://loinc.org").setCode("8478-0");
		observation.setValue(new Quantity().setValue(58).setUnit("mmHg"));
		observation.addReferenceRange().getLow().setValue(65);
		observation.getIssuedElement().addExtension("http://example.org/no-value", new StringType("x"));
		observation.addExtension("http://example.org/flag", new BooleanType(true));
		Observation coded = new Observation();
		coded.setValue(new CodeableConcept().addCoding(new Coding("http://snomed.info/sct", "10828004", null)));
		Object[][] cases = { { observation, "Observation" }, { observation, "status" }, { observation, "code" },
				{ observation.getCode(), "coding" }, { observation, "value" }, { observation, "valueQuantity" },
				{ observation, "valueCodeableConcept" }, { coded, "value" }, { coded, "valueCodeableConcept" },
				{ coded, "valueQuantity" }, { observation, "referenceRange" },
				{ observation.getReferenceRangeFirstRep(), "low" }, { observation, "issued" },
				{ observation, "category" }, { observation, "extension" }, { observation, "noSuchElement" },
				{ observation.getValueQuantity(), "unit" } };
		for (int round = 0; round < 2; round++) {
			for (Object[] c : cases) {
				assertThat(resolver.resolvePath(c[0], (String) c[1])).as("%s.%s", c[0].getClass().getSimpleName(), c[1])
					.isEqualTo(engine.resolvePath(c[0], (String) c[1]));
			}
		}
		assertThat(resolver.resolvePath(observation, "valueQuantity")).isSameAs(observation.getValue());
		assertThat(resolver.resolvePath(observation, "valueCodeableConcept")).isNull();
		assertThat(resolver.resolvePath(observation, "issued")).isNull();
		assertThat(resolver.resolvePath(observation, "category")).isNull();
	}

	private void assertSameTemporal(BaseDateTimeType value) {
		Object theirs = engine.resolvePath(value, "value");
		Object ours = resolver.resolvePath(value, "value");
		assertThat(ours).isInstanceOf(theirs.getClass());
		BaseTemporal expected = (BaseTemporal) theirs;
		BaseTemporal actual = (BaseTemporal) ours;
		assertThat(actual.getPrecision()).isEqualTo(expected.getPrecision());
		if (expected instanceof DateTime expectedDateTime) {
			assertThat(((DateTime) actual).getDateTime()).isEqualTo(expectedDateTime.getDateTime());
			assertThat(((DateTime) actual).getZoneOffset()).isEqualTo(expectedDateTime.getZoneOffset());
		}
		else {
			assertThat(actual.compare(expected, false)).isZero();
		}
	}

}
