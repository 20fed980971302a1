package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.critcare.cds.cql.CompiledCqlLibrary;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.cql.CqlEvaluator;
import org.critcare.cds.cql.CqlLibrarySet;
import org.critcare.cds.cql.CqlSource;
import org.hl7.fhir.r4.model.Attachment;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeResources;
import org.critcare.cds.knowledge.PlanDefinitionMapper;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.critcare.cds.knowledge.RuleDefinition;
import org.critcare.cds.knowledge.OverrideReasons;
import org.critcare.cds.knowledge.PrefetchTemplates;
import org.critcare.cds.knowledge.InvalidKnowledgeException;

/**
 * Builds a {@link Knowledge} snapshot: compiles the CQL of the stored Libraries, and
 * turns every eca-rule PlanDefinition whose library compiled into a
 * {@link ServiceDefinition}. A PlanDefinition whose library is not loaded is skipped
 * (stored and queryable, but not offered); one whose rules name CQL defines that its
 * library lacks is invalid content. The CQL is compiled again only when a Library's CQL
 * changed: a change of PlanDefinitions, ValueSets or other Library content reuses the
 * last compiled set, so such a change is served within moments on every node.
 */
public final class KnowledgeBuilder {

	private static final Logger log = LoggerFactory.getLogger(KnowledgeBuilder.class);

	private static final String ECA_RULE = "eca-rule";

	private final CqlCompiler compiler;

	private final FhirContext fhirContext;

	/** The CQL sources compiled last, and what they compiled to. */
	private Set<CqlSource> compiledSources = Set.of();

	private CqlLibrarySet compiled;

	public KnowledgeBuilder(CqlCompiler compiler, FhirContext fhirContext) {
		this.compiler = compiler;
		this.fhirContext = fhirContext;
	}

	/**
	 * Builds the snapshot.
	 * @throws org.critcare.cds.cql.CqlCompilationException when the stored CQL does not
	 * compile
	 * @throws InvalidKnowledgeException when a service's rules cannot run on its library
	 */
	public synchronized Knowledge build(KnowledgeResources resources) {
		List<CqlSource> sources = cqlSources(resources.libraries());
		if (compiled == null || !compiledSources.equals(Set.copyOf(sources))) {
			compiled = compiler.compile(sources);
			compiledSources = Set.copyOf(sources);
		}
		CqlLibrarySet libraries = compiled;
		CqlEvaluator evaluator = new CqlEvaluator(libraries, resources.valueSets(), fhirContext);
		Map<String, String> libraryNames = new HashMap<>();
		resources.libraries().forEach(l -> libraryNames.put(l.getUrl(), l.getName()));
		PlanDefinitionMapper mapper = new PlanDefinitionMapper(resources.locationsByCanonical(),
				OverrideReasons.byValueSet(resources.valueSets(), resources.codeSystems()),
				resources.activityDefinitions());

		List<ServiceDefinition> services = new ArrayList<>();
		for (PlanDefinition plan : resources.planDefinitions()) {
			if (!isEcaRule(plan)) {
				continue;
			}
			String serviceId = plan.getIdElement().getIdPart();
			String libraryName = plan.getLibrary().isEmpty() ? null
					: libraryNames.get(unversioned(plan.getLibrary().get(0).getValue()));
			var library = libraryName == null ? null : libraries.library(libraryName).orElse(null);
			if (library == null) {
				log.info("CDS service {} is not offered: its CQL library is not loaded", serviceId);
				continue;
			}
			List<RuleDefinition> rules = mapper.rules(plan);
			requireDefined(serviceId, rules, library);
			services.add(new ServiceDefinition(serviceId, plan.getTitle(), plan.getDescription(), library.name(), rules,
					PrefetchTemplates.from(evaluator.dataQueries(library.name()), fhirContext)));
		}
		return new Knowledge(services, evaluator);
	}

	private static void requireDefined(String serviceId, List<RuleDefinition> rules, CompiledCqlLibrary library) {
		Set<String> missing = new TreeSet<>();
		for (RuleDefinition rule : rules) {
			rule.expressionNames().stream().filter(n -> !library.expressions().contains(n)).forEach(missing::add);
		}
		if (!missing.isEmpty()) {
			throw new InvalidKnowledgeException("PlanDefinition/" + serviceId + " uses " + missing
					+ ", not defined in CQL library " + library.name() + " (" + library.location() + ")");
		}
	}

	private static boolean isEcaRule(PlanDefinition plan) {
		return plan.getType().getCoding().stream().anyMatch(c -> ECA_RULE.equals(c.getCode()));
	}

	private static String unversioned(String canonical) {
		int bar = canonical.indexOf('|');
		return bar < 0 ? canonical : canonical.substring(0, bar);
	}

	private static List<CqlSource> cqlSources(List<Library> libraries) {
		List<CqlSource> sources = new ArrayList<>();
		for (Library library : libraries) {
			for (Attachment content : library.getContent()) {
				if ("text/cql".equals(content.getContentType()) && content.hasData()) {
					sources.add(new CqlSource("Library/" + library.getIdElement().getIdPart(),
							new String(content.getData(), StandardCharsets.UTF_8)));
				}
			}
		}
		return sources;
	}

}
