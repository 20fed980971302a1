package org.critcare.cds.cql;

import ca.uhn.fhir.context.FhirContext;
import java.time.ZonedDateTime;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import kotlin.Pair;
import org.critcare.cds.patientdata.PatientData;
import org.hl7.elm.r1.VersionedIdentifier;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.DataRequirement;
import org.opencds.cqf.cql.engine.data.CompositeDataProvider;
import org.opencds.cqf.cql.engine.data.DataProvider;
import org.opencds.cqf.cql.engine.execution.CqlEngine;
import org.opencds.cqf.cql.engine.execution.Environment;
import org.opencds.cqf.cql.engine.execution.EvaluationExpressionRef;
import org.opencds.cqf.cql.engine.execution.EvaluationParams;
import org.opencds.cqf.cql.engine.execution.EvaluationResult;
import org.opencds.cqf.cql.engine.execution.EvaluationResults;
import org.opencds.cqf.cql.engine.execution.ExpressionResult;
import org.opencds.cqf.cql.engine.model.ModelResolver;

/**
 * Evaluates expressions of compiled CQL libraries for one patient whose data is held in
 * memory. The compiled libraries, value sets and FHIR model resolver are prepared once
 * and shared; each evaluation gets its own engine state, with expression caching, so
 * concurrent calls never share results (issue 4: nothing is translated on the request
 * path).
 */
public final class CqlEvaluator {

	private static final String FHIR_MODEL_URI = "http://hl7.org/fhir";

	private final CqlLibrarySet libraries;

	private final ValueSetIndex valueSets;

	private final ModelResolver modelResolver;

	private final FhirContext fhirContext;

	public CqlEvaluator(CqlLibrarySet libraries, Collection<? extends IBaseResource> valueSets,
			FhirContext fhirContext) {
		this.libraries = libraries;
		this.valueSets = new ValueSetIndex(valueSets);
		this.modelResolver = new PathResolvingR4ModelResolver(fhirContext);
		this.fhirContext = fhirContext;
	}

	/**
	 * What the library (with its includes) reads, one query per resource type and search
	 * parameter: the union of the codes its retrieves narrow that parameter to, value
	 * sets expanded, or a single query without a code filter when any retrieve of that
	 * type reads every resource. Requirements that only follow a reference from a code
	 * path (e.g. {@code MedicationAdministration.medication} to a Medication) are left
	 * out: codes are matched on the resource itself (CLINICAL-SPEC §7.4), a contained
	 * Medication included.
	 */
	public List<DataQuery> dataQueries(String library) {
		CompiledCqlLibrary compiled = libraries.library(library)
			.orElseThrow(() -> new IllegalArgumentException("No compiled CQL library " + library));
		Map<String, Map<String, Set<String>>> codesByType = new TreeMap<>();
		Set<String> unfiltered = new HashSet<>();
		for (DataRequirement requirement : compiled.dataRequirements()) {
			if (followsReferenceOnly(requirement)) {
				continue;
			}
			String type = requirement.getType();
			Map<String, Set<String>> byParameter = codesByType.computeIfAbsent(type, t -> new TreeMap<>());
			List<DataRequirement.DataRequirementCodeFilterComponent> filters = requirement.getCodeFilter();
			if (filters.isEmpty()) {
				unfiltered.add(type);
			}
			for (var filter : filters) {
				Set<String> codes = byParameter.computeIfAbsent(DataQuery.searchParameterOf(filter.getPath()),
						p -> new TreeSet<>());
				if (filter.hasValueSet()) {
					valueSets.codes(filter.getValueSet()).forEach(c -> codes.add(c.getSystem() + "|" + c.getCode()));
				}
				filter.getCode().forEach(c -> codes.add(c.getSystem() + "|" + c.getCode()));
			}
		}
		List<DataQuery> queries = new ArrayList<>();
		codesByType.forEach((type, byParameter) -> {
			if (unfiltered.contains(type) || byParameter.values().stream().allMatch(Set::isEmpty)) {
				queries.add(new DataQuery(type, "code", List.of()));
			}
			else {
				byParameter
					.forEach((parameter, codes) -> queries.add(new DataQuery(type, parameter, List.copyOf(codes))));
			}
		});
		return queries;
	}

	private static boolean followsReferenceOnly(DataRequirement requirement) {
		return !requirement.hasCodeFilter()
				&& (requirement.getMustSupport().stream().anyMatch(m -> m.getValue().endsWith(".reference"))
						|| requirement.getMustSupport().stream().anyMatch(m -> m.getValue().equals("id")));
	}

	/**
	 * Opens an evaluation of a library for one patient, whose expressions can then be
	 * evaluated in several steps; every step reuses the results of earlier ones
	 * (expression caching).
	 * @param library the library name
	 * @param patientId the logical id of the patient
	 * @param data the patient's resources
	 * @param parameters values for the library's parameters, by name
	 * @param now the evaluation time, CQL's {@code Now()}
	 */
	public Evaluation open(String library, String patientId, PatientData data, Map<String, Object> parameters,
			ZonedDateTime now) {
		CompiledCqlLibrary compiled = libraries.library(library)
			.orElseThrow(() -> new IllegalArgumentException("No compiled CQL library " + library));
		Map<String, DataProvider> providers = Map.of(FHIR_MODEL_URI,
				new CompositeDataProvider(modelResolver, new InMemoryRetrieveProvider(data, valueSets, fhirContext)));
		Environment environment = new Environment(libraries.libraryManager(), new HashMap<>(providers), valueSets);
		CqlEngine engine = new CqlEngine(environment, EnumSet.of(CqlEngine.Options.EnableExpressionCaching));
		return new Evaluation(engine, new VersionedIdentifier().withId(compiled.name()).withVersion(compiled.version()),
				patientId, parameters, now);
	}

	/**
	 * An evaluation of one library for one patient, in one or more steps. Not
	 * thread-safe.
	 */
	public static final class Evaluation {

		private final CqlEngine engine;

		private final VersionedIdentifier library;

		private final String patientId;

		private final Map<String, Object> parameters;

		private final ZonedDateTime now;

		private Evaluation(CqlEngine engine, VersionedIdentifier library, String patientId,
				Map<String, Object> parameters, ZonedDateTime now) {
			this.engine = engine;
			this.library = library;
			this.patientId = patientId;
			this.parameters = parameters;
			this.now = now;
		}

		/**
		 * The values of the named expressions, as plain Java values (see
		 * {@link CqlValues}).
		 * @throws CqlEvaluationException when the logic fails
		 */
		public Map<String, Object> evaluate(Collection<String> expressions) {
			Map<String, Object> values = new HashMap<>();
			if (expressions.isEmpty()) {
				return values;
			}
			List<EvaluationExpressionRef> refs = expressions.stream().map(EvaluationExpressionRef::new).toList();
			EvaluationResults results = engine.evaluate(new EvaluationParams(Map.of(library, refs),
					new Pair<>("Patient", patientId), parameters, null, now));
			RuntimeException failure = results.getExceptionFor(library);
			if (failure != null) {
				throw new CqlEvaluationException("CQL library " + library.getId() + " failed: " + failure.getMessage(),
						failure);
			}
			EvaluationResult result = results.getResultFor(library);
			for (String name : expressions) {
				ExpressionResult value = result == null ? null : result.get(name);
				values.put(name, value == null ? null : CqlValues.toPlain(value.getValue()));
			}
			return values;
		}

	}

}
