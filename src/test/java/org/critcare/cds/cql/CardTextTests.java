package org.critcare.cds.cql;

import static org.assertj.core.api.Assertions.assertThat;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.ZonedDateTime;
import java.util.List;
import java.util.Map;
import org.critcare.cds.patientdata.PatientData;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The shipped CardText library formats the values card texts show: decimals without
 * trailing zeros, times in the display zone, lists joined, missing values as "n/a". Run
 * through a test library (src/test/resources/cql/CardTextProbe.cql).
 */
class CardTextTests {

	static CqlEvaluator evaluator;

	static Map<String, Object> values;

	static Map<String, Object> utcInEnglish;

	@BeforeAll
	static void evaluate() throws IOException {
		List<CqlSource> sources = List.of(source("cql/CardText.cql"),
				source("src/test/resources/cql/CardTextProbe.cql"));
		evaluator = new CqlEvaluator(new CqlCompiler().compile(sources), List.of(), FhirContext.forR4Cached());
		List<String> names = List.of("Whole", "Rounded", "Trailing", "Small", "Missing", "Missing Text", "Listed",
				"Empty List", "Tokyo", "Offset Input", "Date Only", "Missing Time", "Before Midnight", "Shown Empty",
				"Shown Null", "Shown Missing Text", "Japanese");
		values = evaluator.open("CardTextProbe", "p1", PatientData.of(List.of()), Map.of(), ZonedDateTime.now())
			.evaluate(names);
		utcInEnglish = evaluator
			.open("CardTextProbe", "p1", PatientData.of(List.of()),
					Map.of("Language", "en", "Display Time Zone Offset", 0, "Display Time Zone", "UTC"),
					ZonedDateTime.now())
			.evaluate(names);
	}

	private static CqlSource source(String file) throws IOException {
		return new CqlSource(file, Files.readString(Path.of(file)));
	}

	@Test
	void decimalsShowWithoutTrailingZeros() {
		assertThat(values).containsEntry("Whole", "65")
			.containsEntry("Rounded", "2.5")
			.containsEntry("Trailing", "2.5")
			.containsEntry("Small", "0.12");
	}

	@Test
	void missingValuesShowAsNotAvailableAndListsAreJoined() {
		assertThat(values).containsEntry("Missing", "n/a")
			.containsEntry("Missing Text", "n/a")
			.containsEntry("Listed", "blood, urine")
			.containsEntry("Empty List", "");
	}

	@Test
	void timesShowInTheDisplayZoneWhateverTheirOwnOffset() {
		assertThat(values).containsEntry("Tokyo", "2026-01-15 11:40 JST")
			.containsEntry("Offset Input", "2026-01-16 13:05 JST");
		assertThat(utcInEnglish).containsEntry("Tokyo", "2026-01-15 02:40 UTC")
			.containsEntry("Offset Input", "2026-01-16 04:05 UTC");
	}

	@Test
	void aDateWithoutATimeShowsMidnightAndAMissingTimeShowsNotAvailable() {
		assertThat(values).containsEntry("Date Only", "2026-01-15 00:00 JST")
			.containsEntry("Missing Time", "n/a")
			.containsEntry("Before Midnight", "2026-12-31 23:59 JST");
		assertThat(utcInEnglish).containsEntry("Before Midnight", "2026-12-31 14:59 UTC");
	}

	@Test
	void theLanguageParameterChoosesJapaneseOnlyForJa() {
		assertThat(values).containsEntry("Japanese", false);
		assertThat(utcInEnglish).containsEntry("Japanese", false);
		assertThat(evaluator
			.open("CardTextProbe", "p1", PatientData.of(List.of()), Map.of("Language", "ja"), ZonedDateTime.now())
			.evaluate(List.of("Japanese"))).containsEntry("Japanese", true);
	}

	@Test
	void emptyAndMissingValuesAreNotShown() {
		assertThat(values).containsEntry("Shown Empty", false)
			.containsEntry("Shown Null", false)
			.containsEntry("Shown Missing Text", false);
	}

}
