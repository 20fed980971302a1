package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;
import org.critcare.cds.patientdata.PatientData;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DateTimeType;
import org.hl7.fhir.r4.model.Observation;
import org.hl7.fhir.r4.model.Quantity;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.ValueSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.opencds.cqf.cql.engine.runtime.Tuple;

/**
 * Which MAP and which lactate are "the latest" (CLINICAL-SPEC §1.4, §6.2): the greatest
 * effective time; at equal times a measured MAP beats a derived one; then the later
 * {@code issued}. The CQL engine applies the keys of a several-key {@code sort by} one
 * after another, so the last key decided: these cases failed with the old CQL.
 */
class LatestValueOrderingTests {

	static final FhirContext FHIR = FhirContext.forR4Cached();

	static final Instant NOW = Instant.now().truncatedTo(ChronoUnit.SECONDS);

	static CqlEvaluator evaluator;

	@BeforeAll
	static void compile() throws IOException {
		List<CqlSource> sources = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("cql"))) {
			for (Path file : files.filter(f -> f.toString().endsWith(".cql")).sorted().toList()) {
				sources.add(new CqlSource(file.toString(), Files.readString(file)));
			}
		}
		List<ValueSet> valueSets = new ArrayList<>();
		try (Stream<Path> files = Files.list(Path.of("fhir-resources/ValueSet"))) {
			for (Path file : files.sorted().toList()) {
				valueSets.add(FHIR.newJsonParser().parseResource(ValueSet.class, Files.readString(file)));
			}
		}
		evaluator = new CqlEvaluator(new CqlCompiler().compile(sources), valueSets, FHIR);
	}

	@Test
	void aDerivedMapTakenAfterAnOlderMeasuredOneWinsEvenIfIssuedEarlier() {
		var measured = measuredMap("m", 70, minutesAgo(40), minutesAgo(1));
		var panel = panel("p", 120, 40, minutesAgo(10), minutesAgo(9));
		assertLatestMap(List.of(measured, panel), "66.6666", 0);
	}

	@Test
	void theArterialLinePatternUsesTheRecentCuffPressures() {
		// hourly arterial-line MAP at -50 min, charted late; cuff pressures every 10 min
		var measured = measuredMap("art", 80, minutesAgo(50), minutesAgo(2));
		var sbp = pressure("sbp", "8480-6", 90, minutesAgo(5), minutesAgo(4));
		var dbp = pressure("dbp", "8462-4", 45, minutesAgo(5), minutesAgo(4));
		var olderSbp = pressure("sbp0", "8480-6", 130, minutesAgo(15), minutesAgo(14));
		var olderDbp = pressure("dbp0", "8462-4", 70, minutesAgo(15), minutesAgo(14));
		assertLatestMap(List.of(measured, sbp, dbp, olderSbp, olderDbp), "60", 0);
	}

	@Test
	void atEqualTimesTheMeasuredMapWinsWhateverTheIssued() {
		var measured = measuredMap("m", 62, minutesAgo(10), minutesAgo(9));
		var panel = panel("p", 120, 60, minutesAgo(10), minutesAgo(1));
		assertLatestMap(List.of(panel, measured), "62", 1);
		assertLatestMap(List.of(measured, panel), "62", 1);
	}

	@Test
	void betweenTwoMeasuredMapsAtEqualTimesTheLaterIssuedWins() {
		var first = measuredMap("m1", 55, minutesAgo(10), minutesAgo(8));
		var corrected = measuredMap("m2", 58, minutesAgo(10), minutesAgo(3));
		assertLatestMap(List.of(corrected, first), "58", 1);
		assertLatestMap(List.of(first, corrected), "58", 1);
	}

	@Test
	void betweenTwoDerivedMapsAtEqualTimesTheLaterIssuedWins() {
		var first = panel("p1", 120, 60, minutesAgo(10), minutesAgo(8));
		var later = panel("p2", 90, 45, minutesAgo(10), minutesAgo(3));
		assertLatestMap(List.of(later, first), "60", 0);
	}

	@Test
	void aLaterMeasuredMapBeatsAnEarlierDerivedOneIssuedLater() {
		var panel = panel("p", 120, 60, minutesAgo(30), minutesAgo(1));
		var measured = measuredMap("m", 61, minutesAgo(20), minutesAgo(19));
		assertLatestMap(List.of(panel, measured), "61", 1);
	}

	@Test
	void theLatestLactateIsTheLatestTakenNotTheLatestIssued() {
		var older = lactate("l1", 4.5, minutesAgo(120), minutesAgo(5));
		var newer = lactate("l2", 1.5, minutesAgo(30), minutesAgo(25));
		assertThat(latest("Latest Lactate", older, newer).getElements().get("mmolPerL"))
			.isEqualTo(new BigDecimal("1.5"));
	}

	@Test
	void betweenTwoLactatesAtEqualTimesTheLaterIssuedWins() {
		var first = lactate("l1", 2.5, minutesAgo(30), minutesAgo(10));
		var corrected = lactate("l2", 3.5, minutesAgo(30), minutesAgo(2));
		assertThat(latest("Latest Lactate", corrected, first).getElements().get("mmolPerL"))
			.isEqualTo(new BigDecimal("3.5"));
	}

	@Test
	void theLatestBaoEtiologyIsTheLatestTakenNotTheLatestIssued() {
		var older = etiology("e1", "non-atherosclerotic", minutesAgo(300), minutesAgo(5));
		var newer = etiology("e2", "atherosclerotic", minutesAgo(60), minutesAgo(55));
		var evaluation = evaluator.open("BaoDataElements", "p1", PatientData.of(List.of(older, newer)), Map.of(),
				ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC));
		assertThat(evaluation.evaluate(List.of("BAO Etiology Category")).get("BAO Etiology Category"))
			.isEqualTo("atherosclerotic");
	}

	private static Observation etiology(String id, String code, Instant effective, Instant issued) {
		Observation o = observation(id, "x", effective, issued);
		o.setCode(new CodeableConcept(new Coding("http://example.org/cds/CodeSystem/local", "bao-etiology", null)));
		return o.setValue(new CodeableConcept(new Coding("http://example.org/cds/CodeSystem/local", code, null)));
	}

	private static void assertLatestMap(List<Observation> observations, String mmHg, int measured) {
		Tuple map = latest("Latest MAP", observations.toArray(Observation[]::new));
		assertThat(((BigDecimal) map.getElements().get("mmHg")).toPlainString()).startsWith(mmHg);
		assertThat(map.getElements().get("measured")).isEqualTo(measured);
	}

	private static Tuple latest(String define, Observation... observations) {
		List<IBaseResource> data = List.of(observations);
		var evaluation = evaluator.open("SepsisDataElements", "p1", PatientData.of(data), Map.of(),
				ZonedDateTime.ofInstant(NOW, ZoneOffset.UTC));
		Object value = evaluation.evaluate(List.of(define)).get(define);
		assertThat(value).as(define).isInstanceOf(Tuple.class);
		return (Tuple) value;
	}

	private static Instant minutesAgo(int minutes) {
		return NOW.minus(minutes, ChronoUnit.MINUTES);
	}

	private static Observation observation(String id, String loinc, Instant effective, Instant issued) {
		Observation o = new Observation();
		o.setId(id);
		o.setStatus(Observation.ObservationStatus.FINAL);
		o.setSubject(new Reference("Patient/p1"));
		o.setCode(new CodeableConcept(new Coding("http://loinc.org", loinc, null)));
		o.setEffective(new DateTimeType(Date.from(effective)));
		o.setIssued(Date.from(issued));
		return o;
	}

	private static Quantity mmHg(double value) {
		return new Quantity().setValue(value)
			.setUnit("mm[Hg]")
			.setSystem("http://unitsofmeasure.org")
			.setCode("mm[Hg]");
	}

	private static Observation measuredMap(String id, double value, Instant effective, Instant issued) {
		return observation(id, "8478-0", effective, issued).setValue(mmHg(value));
	}

	private static Observation pressure(String id, String loinc, double value, Instant effective, Instant issued) {
		return observation(id, loinc, effective, issued).setValue(mmHg(value));
	}

	private static Observation panel(String id, double sbp, double dbp, Instant effective, Instant issued) {
		Observation o = observation(id, "85354-9", effective, issued);
		o.addComponent()
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "8480-6", null)))
			.setValue(mmHg(sbp));
		o.addComponent()
			.setCode(new CodeableConcept(new Coding("http://loinc.org", "8462-4", null)))
			.setValue(mmHg(dbp));
		return o;
	}

	private static Observation lactate(String id, double mmolPerL, Instant effective, Instant issued) {
		return observation(id, "2524-7", effective, issued).setValue(new Quantity().setValue(mmolPerL)
			.setUnit("mmol/L")
			.setSystem("http://unitsofmeasure.org")
			.setCode("mmol/L"));
	}

}
