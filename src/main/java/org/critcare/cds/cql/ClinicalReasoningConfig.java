package org.critcare.cds.cql;

import ca.uhn.fhir.jpa.api.dao.DaoRegistry;
import ca.uhn.fhir.rest.server.RestfulServer;
import java.util.List;
import org.opencds.cqf.fhir.cql.EvaluationSettings;
import org.opencds.cqf.fhir.cql.engine.retrieve.RetrieveSettings;
import org.opencds.cqf.fhir.cql.engine.terminology.TerminologySettings;
import org.opencds.cqf.fhir.cr.CrSettings;
import org.opencds.cqf.fhir.cr.hapi.r4.library.LibraryEvaluateProvider;
import org.opencds.cqf.fhir.cr.hapi.r4.plandefinition.PlanDefinitionApplyProvider;
import org.opencds.cqf.fhir.cr.library.LibraryProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * {@code PlanDefinition/$apply} and {@code Library/$evaluate} over {@code /fhir}
 * (CPG-on-FHIR, clinical-reasoning), on the same stored PlanDefinitions, Libraries and
 * patient data the CDS Hooks services use, so a FHIR client gets the same answer as the
 * hook. Only these two operations are registered, with the FHIR endpoint before it
 * starts, so they are in the CapabilityStatement from the first request. Libraries are
 * compiled from their CQL ({@code enableCqlOnly}) and cached; {@code $apply} adds the
 * card-text parameters ({@link ApplyParameters}) so its action texts are the cards';
 * {@link ClinicalReasoningCaches} clears the caches when knowledge changes.
 */
@Configuration(proxyBeanMethods = false)
class ClinicalReasoningConfig {

	@Bean
	ClinicalReasoningCaches clinicalReasoningCaches() {
		EvaluationSettings evaluation = EvaluationSettings.getDefault();
		evaluation.getCqlOptions().getCqlCompilerOptions().setEnableCqlOnly(true);
		// value sets are pre-expanded: retrieve by their codes, as the prefetch templates
		// do
		evaluation.getRetrieveSettings()
			.setTerminologyParameterMode(RetrieveSettings.TERMINOLOGY_FILTER_MODE.USE_INLINE_CODES);
		evaluation.getTerminologySettings()
			.setValuesetExpansionMode(TerminologySettings.VALUESET_EXPANSION_MODE.PERFORM_NAIVE_EXPANSION)
			.setValuesetMembershipMode(TerminologySettings.VALUESET_MEMBERSHIP_MODE.USE_EXPANSION);
		return new ClinicalReasoningCaches(new CrSettings().withEvaluationSettings(evaluation));
	}

	@Bean
	List<Object> clinicalReasoningProviders(ClinicalReasoningCaches caches, DaoRegistry daos,
			RestfulServer restfulServer, ApplyParameters applyParameters) {
		CrSettings settings = caches.settings();
		PlanDefinitionApplyProvider apply = new PlanDefinitionApplyProvider(
				request -> new LocalizedPlanDefinitionProcessor(
						new RequestScopedSearchCache(daos, request, restfulServer), settings, applyParameters,
						request.getHeader("Accept-Language")));
		LibraryEvaluateProvider evaluate = new LibraryEvaluateProvider(
				request -> new LibraryProcessor(new RequestScopedSearchCache(daos, request, restfulServer), settings));
		List<Object> providers = List.of(apply, evaluate);
		restfulServer.registerProviders(providers);
		return providers;
	}

}
