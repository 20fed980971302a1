package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.math.BigDecimal;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.EffectEvidenceSynthesis;
import org.hl7.fhir.r4.model.EffectEvidenceSynthesis.EffectEvidenceSynthesisEffectEstimateComponent;
import org.hl7.fhir.r4.model.EffectEvidenceSynthesis.EffectEvidenceSynthesisEffectEstimatePrecisionEstimateComponent;
import org.hl7.fhir.r4.model.Evidence;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.RelatedArtifact;
import org.hl7.fhir.r4.model.RiskEvidenceSynthesis;
import org.hl7.fhir.r4.model.RiskEvidenceSynthesis.RiskEvidenceSynthesisRiskEstimateComponent;
import org.hl7.fhir.r4.model.RiskEvidenceSynthesis.RiskEvidenceSynthesisRiskEstimatePrecisionEstimateComponent;
import org.junit.jupiter.api.Test;

/**
 * The key numbers of each source document (CLINICAL-SPEC §1.2, §2.2, §3.2, §4.2,
 * §5.1–5.2) are carried exactly by the Evidence resources. Every assertion reads through
 * {@link #resource(Class, String)} and {@link #ids}, so the same checks run on the files
 * ({@link EvidenceNumbersTests}) and on the stored resources of the running server
 * ({@link StoredEvidenceNumbersIT}).
 */
abstract class EvidenceNumbersContract {

	static final String UCUM = "http://unitsofmeasure.org";

	/** The knowledge resource of that type and id. */
	abstract <T extends IBaseResource> T resource(Class<T> type, String id);

	/**
	 * The ids of the knowledge resources of that type whose id starts with the prefix.
	 */
	abstract List<String> ids(Class<? extends IBaseResource> type, String prefix) throws IOException;

	// ---------------------------------------------------------------- TARTARE-2S (seed
	// 000)

	@Test
	void tartare2sPrimaryOutcomeIsMedianDifferenceOf059DaysWithCiMinus3To4() {
		EffectEvidenceSynthesis primary = resource(EffectEvidenceSynthesis.class, "tartare-2s-primary-outcome");
		assertThat(primary.getEffectEstimate()).hasSize(1);
		EffectEvidenceSynthesisEffectEstimateComponent estimate = primary.getEffectEstimateFirstRep();
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/effect-estimate-type",
				"absolute-MedianDiff");
		assertThat(estimate.getValue()).isEqualByComparingTo("0.59");
		assertUnit(estimate.getUnitOfMeasure(), "d");
		assertCi(estimate.getPrecisionEstimate(), "-3", "4");
		assertThat(primary.getSampleSize().getNumberOfParticipants()).isEqualTo(194);
		assertThat(primary.getResultsByExposure()).hasSize(2);
	}

	@Test
	void tartare2sArmsHaveMedians23And22WithIqr() {
		RiskEvidenceSynthesis ttp = resource(RiskEvidenceSynthesis.class, "tartare-2s-primary-outcome-ttp");
		assertMedian(ttp.getRiskEstimate(), "23", "10", "27");
		assertThat(ttp.getSampleSize().getNumberOfParticipants()).isEqualTo(97);
		RiskEvidenceSynthesis sc = resource(RiskEvidenceSynthesis.class, "tartare-2s-primary-outcome-sc");
		assertMedian(sc.getRiskEstimate(), "22", "1", "27");
		assertThat(sc.getSampleSize().getNumberOfParticipants()).isEqualTo(97);
	}

	@Test
	void tartare2sMortalityIs247Versus278WithNoConfidenceInterval() {
		RiskEvidenceSynthesis ttp = resource(RiskEvidenceSynthesis.class, "tartare-2s-mortality-30d-ttp");
		RiskEvidenceSynthesis sc = resource(RiskEvidenceSynthesis.class, "tartare-2s-mortality-30d-sc");
		assertProportion(ttp.getRiskEstimate(), "24.7");
		assertProportion(sc.getRiskEstimate(), "27.8");
		assertThat(ttp.getRiskEstimate().getPrecisionEstimate()).isEmpty();
		assertThat(sc.getRiskEstimate().getPrecisionEstimate()).isEmpty();
		assertThat(ttp.getSampleSize().getNumberOfParticipants()).isEqualTo(111);
		assertThat(sc.getSampleSize().getNumberOfParticipants()).isEqualTo(108);

		EffectEvidenceSynthesis mortality = resource(EffectEvidenceSynthesis.class, "tartare-2s-mortality-30d");
		EffectEvidenceSynthesisEffectEstimateComponent difference = mortality.getEffectEstimateFirstRep();
		assertCode(difference.getType(), "http://terminology.hl7.org/CodeSystem/effect-estimate-type", "absolute-ARD");
		assertThat(difference.getValue()).isEqualByComparingTo("-3.1");
		assertUnit(difference.getUnitOfMeasure(), "%");
		assertThat(difference.getPrecisionEstimate()).as("no CI in the seed").isEmpty();
		assertThat(mortality.getSampleSize().getNumberOfParticipants()).isEqualTo(219);
	}

	@Test
	void tartare2sCitesThePublicationAndRatesCertaintyLow() {
		Evidence evidence = resource(Evidence.class, "tartare-2s");
		assertThat(citations(evidence.getRelatedArtifact()))
			.anySatisfy(c -> assertThat(c).contains("PMID 41105050").contains("doi:10.1097/CCM.0000000000006899"));
		assertThat(evidence.getExposureBackground().getReference()).isEqualTo("EvidenceVariable/tartare-2s-population");
		EffectEvidenceSynthesis primary = resource(EffectEvidenceSynthesis.class, "tartare-2s-primary-outcome");
		assertCode(primary.getCertaintyFirstRep().getRatingFirstRep(),
				"http://terminology.hl7.org/CodeSystem/evidence-quality", "low");
	}

	// ---------------------------------------------------------------- rTM grant report
	// (seed 001)

	@Test
	void rtmReportsOnlySingleGroupPrePostResults() throws IOException {
		assertThat(ids(EffectEvidenceSynthesis.class, "rtm-")).as("no between-group effect for rTM").isEmpty();
		assertMedianValue("rtm-septic-dic-preliminary-dic-score-day1", "5");
		assertMedianValue("rtm-septic-dic-preliminary-dic-score-day10", "3");
		assertMedianValue("rtm-septic-dic-preliminary-sofa-day1", "12");
		assertMedianValue("rtm-septic-dic-preliminary-sofa-day10", "8");
		assertMedianValue("rtm-septic-dic-preliminary-apache-ii-day1", "32");
		assertMedianValue("rtm-septic-dic-preliminary-apache-ii-day10", "26");
		RiskEvidenceSynthesis dic = resource(RiskEvidenceSynthesis.class, "rtm-septic-dic-preliminary-dic-score-day10");
		assertThat(dic.getSampleSize().getNumberOfParticipants()).isEqualTo(21);
		assertThat(dic.getSynthesisType().getText()).isEqualTo("other: single-group pre–post");
		assertCode(dic.getCertaintyFirstRep().getRatingFirstRep(),
				"http://terminology.hl7.org/CodeSystem/evidence-quality", "very-low");
	}

	@Test
	void rtmMortalityIs469PercentWithUnclearDenominator() {
		RiskEvidenceSynthesisRiskEstimateComponent mortality = resource(RiskEvidenceSynthesis.class,
				"rtm-septic-dic-preliminary-mortality-28d")
			.getRiskEstimate();
		assertProportion(mortality, "46.9");
		assertThat(mortality.hasDenominatorCount()).as("denominator unclear (⚠ not k/21)").isFalse();
		assertThat(mortality.hasNumeratorCount()).isFalse();
	}

	@Test
	void rtmEnrolled18Versus24() {
		RiskEvidenceSynthesis rtm = resource(RiskEvidenceSynthesis.class, "rtm-septic-dic-preliminary-interim-rtm-arm");
		RiskEvidenceSynthesis control = resource(RiskEvidenceSynthesis.class,
				"rtm-septic-dic-preliminary-interim-control-arm");
		assertThat(rtm.getSampleSize().getNumberOfParticipants()).isEqualTo(18);
		assertThat(control.getSampleSize().getNumberOfParticipants()).isEqualTo(24);
		assertThat(rtm.hasRiskEstimate()).isFalse();
		assertThat(control.hasRiskEstimate()).isFalse();
		Evidence evidence = resource(Evidence.class, "rtm-septic-dic-preliminary");
		assertThat(citations(evidence.getRelatedArtifact())).singleElement()
			.satisfies(c -> assertThat(c).contains("gives no authors, institution, journal, DOI or PMID"));
		assertThat(evidence.getRelatedArtifact()).noneMatch(RelatedArtifact::hasUrl);
	}

	// ---------------------------------------------------------------- ATTENTION post-hoc
	// (seed 002)

	@Test
	void attentionHas221PatientsAnd104Versus117WithoutAnyStatistic() throws IOException {
		EffectEvidenceSynthesis overall = resource(EffectEvidenceSynthesis.class,
				"attention-bao-ras-posthoc-mrs-overall");
		assertThat(overall.getSampleSize().getNumberOfParticipants()).isEqualTo(221);
		assertThat(resource(RiskEvidenceSynthesis.class, "attention-bao-ras-posthoc-ras-arm").getSampleSize()
			.getNumberOfParticipants()).isEqualTo(104);
		assertThat(resource(RiskEvidenceSynthesis.class, "attention-bao-ras-posthoc-no-ras-arm").getSampleSize()
			.getNumberOfParticipants()).isEqualTo(117);
		List<String> effects = ids(EffectEvidenceSynthesis.class, "attention-");
		assertThat(effects).contains("attention-bao-ras-posthoc-mrs-non-atherosclerotic");
		for (String id : effects) {
			EffectEvidenceSynthesis synthesis = resource(EffectEvidenceSynthesis.class, id);
			assertThat(synthesis.getEffectEstimate()).as(id).isEmpty();
			assertCode(synthesis.getCertaintyFirstRep().getRatingFirstRep(),
					"http://terminology.hl7.org/CodeSystem/evidence-quality", "low");
		}
		for (String id : ids(RiskEvidenceSynthesis.class, "attention-")) {
			assertThat(resource(RiskEvidenceSynthesis.class, id).hasRiskEstimate()).as(id).isFalse();
		}
	}

	// ---------------------------------------------------------------- JSEPTIC-DIC IVIgG
	// (seed 003)

	@Test
	void ivigAdjustedOddsRatiosArePrimaryAndUnadjustedSecondary() {
		EffectEvidenceSynthesis icu = resource(EffectEvidenceSynthesis.class, "jseptic-dic-ivig-icu-mortality");
		assertOddsRatio(icu.getEffectEstimate().get(0), "0.883", "0.655", "1.192");
		assertOddsRatio(icu.getEffectEstimate().get(1), "1.204", "0.915", "1.584");
		assertOddsRatio(icu.getEffectEstimate().get(2), "0.815", "0.456", "1.457");
		assertThat(icu.getEffectEstimate().get(0).getDescription()).contains("p = 0.417");

		EffectEvidenceSynthesis hospital = resource(EffectEvidenceSynthesis.class,
				"jseptic-dic-ivig-hospital-mortality");
		assertOddsRatio(hospital.getEffectEstimate().get(0), "0.957", "0.724", "1.265");
		assertOddsRatio(hospital.getEffectEstimate().get(1), "1.223", "0.967", "1.548");
		assertOddsRatio(hospital.getEffectEstimate().get(2), "0.965", "0.668", "1.394");
		assertThat(hospital.getEffectEstimate().get(0).getDescription()).contains("p = 0.758");

		assertThat(icu.getSampleSize().getNumberOfParticipants()).isEqualTo(1306);
		assertThat(icu.getSampleSize().getDescription()).contains("653 pairs").contains("3118 analysed");
		assertThat(icu.getSynthesisType().getText()).isEqualTo("other: propensity-matched observational cohort");
		assertCode(icu.getCertaintyFirstRep().getRatingFirstRep(),
				"http://terminology.hl7.org/CodeSystem/evidence-quality", "low");
	}

	@Test
	void ivigSurvivalHazardRatioIs0941() {
		EffectEvidenceSynthesisEffectEstimateComponent hr = resource(EffectEvidenceSynthesis.class,
				"jseptic-dic-ivig-survival")
			.getEffectEstimateFirstRep();
		assertCode(hr.getType(), "http://terminology.hl7.org/CodeSystem/effect-estimate-type", "relative-HR");
		assertThat(hr.getValue()).isEqualByComparingTo("0.941");
		assertCi(hr.getPrecisionEstimate(), "0.765", "1.158");
		assertThat(hr.hasUnitOfMeasure()).isFalse();
	}

	@Test
	void ivigMatchedMortalityCountsAndCohortSize() {
		RiskEvidenceSynthesisRiskEstimateComponent ivig = resource(RiskEvidenceSynthesis.class,
				"jseptic-dic-ivig-icu-mortality-matched-ivig")
			.getRiskEstimate();
		assertThat(ivig.getNumeratorCount()).isEqualTo(137);
		assertThat(ivig.getDenominatorCount()).isEqualTo(653);
		assertProportion(ivig, "21.0");
		RiskEvidenceSynthesisRiskEstimateComponent control = resource(RiskEvidenceSynthesis.class,
				"jseptic-dic-ivig-icu-mortality-matched-control")
			.getRiskEstimate();
		assertThat(control.getNumeratorCount()).isEqualTo(118);
		assertThat(control.getDenominatorCount()).isEqualTo(653);
		assertThat(resource(EffectEvidenceSynthesis.class, "jseptic-dic-ivig-icu-mortality-unmatched").getSampleSize()
			.getNumberOfParticipants()).isEqualTo(3118);
		assertThat(
				resource(RiskEvidenceSynthesis.class, "jseptic-dic-ivig-icu-mortality-unmatched-ivig").getRiskEstimate()
					.getDenominatorCount())
			.isEqualTo(960);
	}

	@Test
	void ivigQuotedCochraneEstimatesAreLabelledAsQuoted() {
		EffectEvidenceSynthesis lowRisk = resource(EffectEvidenceSynthesis.class,
				"jseptic-dic-ivig-quoted-cochrane-low-rob-ivigg");
		EffectEvidenceSynthesisEffectEstimateComponent rr = lowRisk.getEffectEstimateFirstRep();
		assertCode(rr.getType(), "http://terminology.hl7.org/CodeSystem/effect-estimate-type", "relative-RR");
		assertThat(rr.getValue()).isEqualByComparingTo("1.02");
		assertCi(rr.getPrecisionEstimate(), "0.84", "1.24");
		assertThat(lowRisk.getSampleSize().getNumberOfParticipants()).isEqualTo(683);
		assertThat(lowRisk.getTitle()).startsWith("Quoted:");
		EffectEvidenceSynthesis all = resource(EffectEvidenceSynthesis.class,
				"jseptic-dic-ivig-quoted-cochrane-all-ivig");
		assertThat(all.getEffectEstimateFirstRep().getValue()).isEqualByComparingTo("0.81");
		assertCi(all.getEffectEstimateFirstRep().getPrecisionEstimate(), "0.70", "0.93");
		assertThat(all.getSampleSize().getNumberOfStudies()).isEqualTo(10);
		assertThat(all.getSampleSize().getNumberOfParticipants()).isEqualTo(1430);
	}

	// ---------------------------------------------------------------- MHLW notice and
	// CRE guide (seed 004)

	@Test
	void mhlwNoticeIsDated20240125AndCarriesTheEpidemiology() {
		Evidence evidence = resource(Evidence.class, "mhlw-cre-cefiderocol-2024");
		assertThat(evidence.getSubtitle()).contains("2024-01-25");
		assertThat(citations(evidence.getRelatedArtifact()))
			.anySatisfy(c -> assertThat(c).contains("令和6年1月25日").contains("2024-01-25"));
		assertDescriptive("mhlw-cre-cefiderocol-2024-cpe-share", "16–17%");
		assertDescriptive("mhlw-cre-cefiderocol-2024-imp-share", "85–90%");
		assertDescriptive("mhlw-cre-cefiderocol-2024-mortality", "15–20%");
	}

	@Test
	void mhlwGuideIsAClinicalProtocolWithTheTable6Doses() {
		PlanDefinition guide = resource(PlanDefinition.class, "mhlw-cre-guide-2024");
		assertCode(guide.getType(), "http://terminology.hl7.org/CodeSystem/plan-definition-type", "clinical-protocol");
		assertThat(guide.getRelatedArtifact()).anySatisfy(a -> assertThat(a.getResource())
			.isEqualTo("http://example.org/cds/Evidence/mhlw-cre-cefiderocol-2024"));
		PlanDefinition.PlanDefinitionActionComponent table6 = guide.getAction()
			.stream()
			.filter(a -> "table-6".equals(a.getId()))
			.findFirst()
			.orElseThrow();
		assertThat(table6.getAction()).anySatisfy(a -> assertThat(a.getDescription())
			.contains("9 million units (≈300 mg), then 4.5 million units (≈150 mg) every 12 h"));
		assertThat(table6.getAction()).anySatisfy(a -> assertThat(a.getDescription()).contains("1.25 g every 6 h"));
		assertThat(guide.getAction()).anySatisfy(a -> assertThat(a.getId()).isEqualTo("notice-2024-01-25"));
	}

	// ---------------------------------------------------------------- Sepsis-3
	// [EXTERNAL]

	@Test
	void sepsis3IsCitedWithItsPmid() {
		Evidence evidence = resource(Evidence.class, "sepsis-3");
		assertThat(citations(evidence.getRelatedArtifact())).anySatisfy(c -> assertThat(c).contains("PMID 26903338")
			.contains("doi:10.1001/jama.2016.0287")
			.contains("[EXTERNAL]"));
	}

	// ---------------------------------------------------------------- helpers

	private static List<String> citations(List<RelatedArtifact> artifacts) {
		return artifacts.stream()
			.filter(a -> a.getType() == RelatedArtifact.RelatedArtifactType.CITATION)
			.map(RelatedArtifact::getCitation)
			.toList();
	}

	private static void assertCode(CodeableConcept concept, String system, String code) {
		assertThat(concept.getCoding()).anySatisfy(c -> {
			assertThat(c.getSystem()).isEqualTo(system);
			assertThat(c.getCode()).isEqualTo(code);
		});
	}

	private static void assertUnit(CodeableConcept unit, String code) {
		assertCode(unit, UCUM, code);
	}

	private static void assertCi(List<EffectEvidenceSynthesisEffectEstimatePrecisionEstimateComponent> precision,
			String from, String to) {
		assertThat(precision).hasSize(1);
		EffectEvidenceSynthesisEffectEstimatePrecisionEstimateComponent ci = precision.get(0);
		assertCode(ci.getType(), "http://terminology.hl7.org/CodeSystem/precision-estimate-type", "CI");
		assertThat(ci.getLevel()).isEqualByComparingTo("0.95");
		assertThat(ci.getFrom()).isEqualByComparingTo(new BigDecimal(from));
		assertThat(ci.getTo()).isEqualByComparingTo(new BigDecimal(to));
	}

	private static void assertOddsRatio(EffectEvidenceSynthesisEffectEstimateComponent estimate, String value,
			String from, String to) {
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/effect-estimate-type", "relative-OR");
		assertThat(estimate.getValue()).isEqualByComparingTo(value);
		assertThat(estimate.hasUnitOfMeasure()).as("ratios are unitless").isFalse();
		assertCi(estimate.getPrecisionEstimate(), from, to);
	}

	private static void assertMedian(RiskEvidenceSynthesisRiskEstimateComponent estimate, String median, String from,
			String to) {
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/risk-estimate-type", "median");
		assertThat(estimate.getValue()).isEqualByComparingTo(median);
		assertUnit(estimate.getUnitOfMeasure(), "d");
		assertThat(estimate.getPrecisionEstimate()).hasSize(1);
		RiskEvidenceSynthesisRiskEstimatePrecisionEstimateComponent iqr = estimate.getPrecisionEstimateFirstRep();
		assertCode(iqr.getType(), "http://terminology.hl7.org/CodeSystem/precision-estimate-type", "IQR");
		assertThat(iqr.getFrom()).isEqualByComparingTo(from);
		assertThat(iqr.getTo()).isEqualByComparingTo(to);
	}

	private void assertMedianValue(String id, String median) {
		RiskEvidenceSynthesisRiskEstimateComponent estimate = resource(RiskEvidenceSynthesis.class, id)
			.getRiskEstimate();
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/risk-estimate-type", "median");
		assertThat(estimate.getValue()).as(id).isEqualByComparingTo(median);
	}

	private static void assertProportion(RiskEvidenceSynthesisRiskEstimateComponent estimate, String percent) {
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/risk-estimate-type", "proportion");
		assertThat(estimate.getValue()).isEqualByComparingTo(percent);
		assertUnit(estimate.getUnitOfMeasure(), "%");
	}

	private void assertDescriptive(String id, String range) {
		RiskEvidenceSynthesisRiskEstimateComponent estimate = resource(RiskEvidenceSynthesis.class, id)
			.getRiskEstimate();
		assertCode(estimate.getType(), "http://terminology.hl7.org/CodeSystem/risk-estimate-type", "descriptive");
		assertThat(estimate.hasValue()).as("an approximate range is not a point estimate").isFalse();
		assertThat(estimate.getDescription()).contains(range);
	}

}
