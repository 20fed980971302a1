package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.PlanDefinition.PlanDefinitionActionComponent;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.TriggerDefinition;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The 39 rule ids of CLINICAL-SPEC §0 each have exactly one PlanDefinition action in the
 * right service, with the right hooks, priority, condition, evidence link and English and
 * Japanese card summary, and a concept in the rule-id CodeSystem (issue 3).
 */
class RuleInventoryTests {

	static final String RULE_SYSTEM = "http://example.org/cds/CodeSystem/rule-id";

	static final String BASE = "http://example.org/cds/";

	static final String OVERRIDE_REASONS = "http://example.org/cds/StructureDefinition/card-override-reasons";

	static final List<String> PATIENT_VIEW = List.of("patient-view");

	static final List<String> ORDER = List.of("order-select", "order-sign");

	static final Map<String, String> PRIORITY = Map.of("info", "routine", "warning", "urgent", "critical", "stat");

	record Rule(String id, String service, List<String> hooks, String indicator) {
	}

	/**
	 * CLINICAL-SPEC §0 (service, hooks) and the indicator of each rule's table row (§1.5,
	 * §2.3, §3.3, §4.3, §5.9, §5.10).
	 */
	static final List<Rule> RULES = List.of(
			new Rule("SEPTIC-SHOCK-MAP-BELOW-PERMISSIVE-FLOOR", "sepsis-perfusion", PATIENT_VIEW, "critical"),
			new Rule("SEPTIC-SHOCK-MAP-BELOW-TARGET", "sepsis-perfusion", PATIENT_VIEW, "warning"),
			new Rule("SEPTIC-SHOCK-CHRONIC-HTN-MAP-CAUTION", "sepsis-perfusion", PATIENT_VIEW, "info"),
			new Rule("SEPTIC-SHOCK-CRITERIA-MET", "sepsis-perfusion", PATIENT_VIEW, "warning"),
			new Rule("SEPTIC-SHOCK-TARTARE2S-EVIDENCE", "sepsis-perfusion", PATIENT_VIEW, "info"),
			new Rule("SEPSIS-LACTATE-NOT-AVAILABLE", "sepsis-perfusion", PATIENT_VIEW, "info"),
			new Rule("IVIG-SEPSIS-NO-MORTALITY-BENEFIT", "sepsis-adjunct-therapy", ORDER, "warning"),
			new Rule("THROMBOMODULIN-SEPSIS-DIC-PRELIMINARY", "sepsis-adjunct-therapy", ORDER, "info"),
			new Rule("THROMBOMODULIN-NO-DIC-DOCUMENTED", "sepsis-adjunct-therapy", ORDER, "warning"),
			new Rule("BAO-RAS-NON-ATHEROSCLEROTIC-HARM-SIGNAL", "bao-rescue-stenting", ORDER, "warning"),
			new Rule("BAO-RAS-ATHEROSCLEROTIC-UNCERTAIN-BENEFIT", "bao-rescue-stenting", ORDER, "info"),
			new Rule("BAO-RAS-ETIOLOGY-UNDETERMINED", "bao-rescue-stenting", ORDER, "info"),
			new Rule("CRE-CARBAPENEMASE-TEST-RECOMMENDED", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CPE-SCREEN-MEROPENEM-MIC", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-NONBETALACTAM-MONOTHERAPY", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-SEVERE-COMBINATION", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-MBL-NOVEL-BETALACTAM", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-NONCP-MEROPENEM-EXTENDED-INFUSION", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-NONCP-NOVEL-BETALACTAM", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-OPTION-NON-MBL-CPE-CONSULT", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-SEVERITY-INDETERMINATE", "cre-stewardship", PATIENT_VIEW, "info"),
			new Rule("CRE-NO-GUIDE-OPTION", "cre-stewardship", PATIENT_VIEW, "warning"),
			new Rule("CRE-CEFIDEROCOL-NON-MBL", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-CEFIDEROCOL-CARBAPENEMASE-UNKNOWN", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-CEFIDEROCOL-NONBETALACTAM-AVAILABLE", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-CEFIDEROCOL-MBL-APPROPRIATE", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-CEFIDEROCOL-CONSULT-REQUIRED", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-AMINOGLYCOSIDE-COLISTIN", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-AGENT-SITE-EXCLUDED", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-AGENT-SITE-MONOTHERAPY-AVOID", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-AGENT-NOT-SUSCEPTIBLE", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-AGENT-SUSCEPTIBILITY-NOT-REPORTED", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-MEROPENEM-MIC-LE8-MONOTHERAPY", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-MEROPENEM-MIC-LE8-PARTNER", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-CARBAPENEM-FOR-CPE", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-MEROPENEM-DOSE-BELOW-GUIDE", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-TIGECYCLINE-PNEUMONIA-DOSE", "cre-stewardship", ORDER, "info"),
			new Rule("CRE-CAZAVI-MBL-WITHOUT-AZTREONAM", "cre-stewardship", ORDER, "warning"),
			new Rule("CRE-SEVERE-NONURINARY-MONOTHERAPY", "cre-stewardship", ORDER, "info"));

	record Located(PlanDefinition plan, PlanDefinitionActionComponent action) {
	}

	static List<PlanDefinition> plans;

	static CodeSystem ruleIds;

	@BeforeAll
	static void load() throws IOException {
		plans = new ArrayList<>();
		for (Path file : KnowledgeArtifactsTests.jsonFiles()) {
			if (file.getParent().getFileName().toString().equals("PlanDefinition")) {
				plans.add(parse(file, PlanDefinition.class));
			}
		}
		ruleIds = parse(KnowledgeArtifactsTests.ROOT.resolve("CodeSystem/CodeSystem-rule-id.json"), CodeSystem.class);
	}

	@Test
	void specListsThirtyNineRulesInFourServices() {
		assertThat(RULES).hasSize(39);
		assertThat(RULES.stream().map(Rule::id).distinct()).hasSize(39);
		assertThat(RULES.stream().map(Rule::service).distinct()).containsExactlyInAnyOrder("sepsis-perfusion",
				"sepsis-adjunct-therapy", "bao-rescue-stenting", "cre-stewardship");
	}

	@TestFactory
	Stream<DynamicTest> everyRuleHasExactlyOneCompleteAction() {
		return RULES.stream().map(rule -> DynamicTest.dynamicTest(rule.id(), () -> assertRule(rule)));
	}

	@Test
	void ruleIdCodeSystemHoldsExactlyTheSpecRules() {
		Set<String> codes = ruleIds.getConcept()
			.stream()
			.map(CodeSystem.ConceptDefinitionComponent::getCode)
			.collect(Collectors.toSet());
		assertThat(codes).containsExactlyInAnyOrderElementsOf(RULES.stream().map(Rule::id).toList());
		assertThat(ruleIds.getContent()).isEqualTo(CodeSystem.CodeSystemContentMode.COMPLETE);
		assertThat(ruleIds.getUrl()).isEqualTo(RULE_SYSTEM);
		for (CodeSystem.ConceptDefinitionComponent concept : ruleIds.getConcept()) {
			assertThat(concept.getDisplay()).as(concept.getCode()).isNotBlank();
			assertThat(concept.getDefinition()).as(concept.getCode()).isNotBlank();
			assertThat(concept.getDesignation()).as(concept.getCode())
				.anySatisfy(d -> assertThat(d.getLanguage()).isEqualTo("ja"));
		}
	}

	@Test
	void noActionCarriesAnUnknownRuleId() {
		Set<String> known = RULES.stream().map(Rule::id).collect(Collectors.toSet());
		List<String> used = plans.stream()
			.flatMap(p -> p.getAction().stream())
			.flatMap(a -> a.getCode().stream())
			.flatMap(c -> c.getCoding().stream())
			.filter(c -> RULE_SYSTEM.equals(c.getSystem()))
			.map(c -> c.getCode())
			.toList();
		assertThat(used).allMatch(known::contains);
	}

	@Test
	void cefiderocolConsultCardOffersOneConsultSuggestion() {
		PlanDefinitionActionComponent card = locate("CRE-CEFIDEROCOL-CONSULT-REQUIRED").get(0).action();
		assertThat(card.getSelectionBehavior()).isEqualTo(PlanDefinition.ActionSelectionBehavior.ATMOSTONE);
		assertThat(card.getAction()).hasSize(1);
		PlanDefinitionActionComponent suggestion = card.getActionFirstRep();
		assertThat(suggestion.getTitle()).isEqualTo("Order ID/AST consultation");
		assertThat(suggestion.getDefinitionCanonicalType().getValue())
			.isEqualTo("http://example.org/cds/ActivityDefinition/id-ast-consultation");
		assertThat(resolves(suggestion.getDefinitionCanonicalType().getValue())).isTrue();
		long withSuggestions = plans.stream()
			.filter(p -> isEcaRule(p))
			.flatMap(p -> p.getAction().stream())
			.filter(a -> a.hasAction())
			.count();
		assertThat(withSuggestions).as("only one card has a suggestion (CLINICAL-SPEC §0)").isEqualTo(1);
	}

	private static void assertRule(Rule rule) {
		List<Located> found = locate(rule.id());
		assertThat(found).as("actions coded %s", rule.id()).hasSize(1);
		PlanDefinition plan = found.get(0).plan();
		PlanDefinitionActionComponent action = found.get(0).action();

		assertThat(plan.getIdElement().getIdPart()).as("service").isEqualTo(rule.service());
		assertThat(isEcaRule(plan)).as("eca-rule").isTrue();
		assertThat(plan.getLibrary()).isNotEmpty();
		assertThat(action.getId()).isEqualTo(rule.id());
		assertThat(action.getTrigger())
			.allSatisfy(t -> assertThat(t.getType()).isEqualTo(TriggerDefinition.TriggerType.NAMEDEVENT));
		assertThat(action.getTrigger().stream().map(TriggerDefinition::getName))
			.containsExactlyInAnyOrderElementsOf(rule.hooks());
		assertThat(action.getPriority().toCode()).as("priority").isEqualTo(PRIORITY.get(rule.indicator()));
		assertThat(ruleIds.getConcept()).as("rule-id concept")
			.anySatisfy(c -> assertThat(c.getCode()).isEqualTo(rule.id()));

		assertThat(action.getCondition()).hasSize(1);
		PlanDefinition.PlanDefinitionActionConditionComponent condition = action.getConditionFirstRep();
		assertThat(condition.getKind()).isEqualTo(PlanDefinition.ActionConditionKind.APPLICABILITY);
		assertThat(condition.getExpression().getLanguage()).isEqualTo("text/cql");
		assertThat(condition.getExpression().getExpression()).isNotBlank().doesNotContain(".");
		assertThat(condition.getExpression().getDescription()).isNotBlank();

		assertThat(action.getDocumentation()).isNotEmpty();
		for (RelatedArtifact documentation : action.getDocumentation()) {
			assertThat(documentation.getType()).isEqualTo(RelatedArtifact.RelatedArtifactType.JUSTIFICATION);
			assertThat(documentation.getDisplay()).as("source label").isNotBlank();
			assertThat(documentation.getDocument().getTitle()).isNotBlank();
			assertThat(resolves(documentation.getResource())).as("%s resolves to a file", documentation.getResource())
				.isTrue();
		}

		assertThat(action.getDynamicValue())
			.extracting(PlanDefinition.PlanDefinitionActionDynamicValueComponent::getPath,
					d -> d.getExpression().getLanguage(), d -> d.getExpression().getExpression())
			.as("summary and detail from CQL defines")
			.containsExactly(tuple("title", "text/cql", rule.id() + " Summary"),
					tuple("description", "text/cql", rule.id() + " Detail"));
		assertThat(action.getTitle()).as("written summary for engines without dynamicValue")
			.isNotBlank()
			.doesNotContain("{{");
		assertThat(action.getDescription()).as("written detail for engines without dynamicValue")
			.isNotBlank()
			.doesNotContain("{{");
		boolean overridable = action.getExtension().stream().anyMatch(e -> OVERRIDE_REASONS.equals(e.getUrl()));
		if (!rule.indicator().equals("info")) {
			assertThat(overridable).as("override reasons on a %s card", rule.indicator()).isTrue();
		}
	}

	private static List<Located> locate(String ruleId) {
		List<Located> found = new ArrayList<>();
		for (PlanDefinition plan : plans) {
			for (PlanDefinitionActionComponent action : plan.getAction()) {
				boolean coded = action.getCode()
					.stream()
					.flatMap(c -> c.getCoding().stream())
					.anyMatch(c -> RULE_SYSTEM.equals(c.getSystem()) && ruleId.equals(c.getCode()));
				if (coded) {
					found.add(new Located(plan, action));
				}
			}
		}
		return found;
	}

	private static boolean isEcaRule(PlanDefinition plan) {
		return plan.getType().getCoding().stream().anyMatch(c -> "eca-rule".equals(c.getCode()));
	}

	/**
	 * {@code http://example.org/cds/<Type>/<id>} →
	 * {@code fhir-resources/<Type>/<Type>-<id>.json}.
	 */
	static boolean resolves(String canonical) {
		if (canonical == null || !canonical.startsWith(BASE)) {
			return false;
		}
		String[] parts = canonical.substring(BASE.length()).split("/");
		return parts.length == 2 && Files
			.isRegularFile(KnowledgeArtifactsTests.ROOT.resolve(parts[0]).resolve(parts[0] + "-" + parts[1] + ".json"));
	}

	static <T extends org.hl7.fhir.instance.model.api.IBaseResource> T parse(Path file, Class<T> type)
			throws IOException {
		return KnowledgeArtifactsTests.FHIR.newJsonParser().parseResource(type, Files.readString(file));
	}

}
