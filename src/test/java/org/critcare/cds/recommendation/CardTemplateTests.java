package org.critcare.cds.recommendation;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class CardTemplateTests {

	@Test
	void valuesAreFilledAndDecimalsPrintWithoutTrailingZeros() {
		CardTemplate template = CardTemplate.parse("MAP {{MAP mmHg}} mmHg, lactate {{Lactate}} mmol/L");
		assertThat(template.render(Map.of("MAP mmHg", new BigDecimal("58.00"), "Lactate", new BigDecimal("60"))))
			.isEqualTo("MAP 58 mmHg, lactate 60 mmol/L");
		assertThat(template.expressionNames()).containsExactly("MAP mmHg", "Lactate");
	}

	@Test
	void sectionsShowTheirTextOnlyWhenTheValueIsTrueOrNonEmptyAndInvertedSectionsOtherwise() {
		CardTemplate template = CardTemplate.parse("MAP{{#Preliminary}} (preliminary){{/Preliminary}}"
				+ "{{^Derived}}, measured{{/Derived}}{{#Sites}} at {{Sites}}{{/Sites}}");
		Map<String, Object> values = new HashMap<>();
		values.put("Preliminary", true);
		values.put("Derived", false);
		values.put("Sites", List.of("lung", "blood"));
		assertThat(template.render(values)).isEqualTo("MAP (preliminary), measured at lung, blood");
		values.put("Preliminary", null);
		values.put("Derived", true);
		values.put("Sites", List.of());
		assertThat(template.render(values)).isEqualTo("MAP");
	}

	@Test
	void timesPrintInUtcToTheMinuteAndMissingValuesAsNotAvailable() {
		CardTemplate template = CardTemplate.parse("at {{Time}} ({{Missing}})");
		assertThat(template.render(Map.of("Time", OffsetDateTime.parse("2026-11-21T23:40:10+09:00"))))
			.isEqualTo("at 2026-11-21 14:40 UTC (n/a)");
	}

	@Test
	void anUnclosedOrMismatchedSectionIsRejectedWhenTheKnowledgeLoads() {
		assertThatThrownBy(() -> CardTemplate.parse("{{#A}} text")).hasMessageContaining("Unclosed {{#A}}");
		assertThatThrownBy(() -> CardTemplate.parse("{{#A}} text {{/B}}")).hasMessageContaining("{{/B}}");
	}

}
