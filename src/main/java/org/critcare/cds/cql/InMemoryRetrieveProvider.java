package org.critcare.cds.cql;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.critcare.cds.patientdata.PatientData;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.model.ModelResolver;
import org.opencds.cqf.cql.engine.retrieve.RetrieveProvider;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Interval;

/**
 * Serves CQL retrieves from one patient's resources held in memory. A retrieve narrowed by codes or
 * a value set keeps the resources with a matching coding at the retrieve's code path (a
 * medication given by reference to a contained Medication counts by that Medication's code).
 * Date filtering is left to the CQL.
 */
final class InMemoryRetrieveProvider implements RetrieveProvider {

	private final PatientData data;

	private final ValueSetIndex valueSets;

	private final ModelResolver modelResolver;

	InMemoryRetrieveProvider(PatientData data, ValueSetIndex valueSets, ModelResolver modelResolver) {
		this.data = data;
		this.valueSets = valueSets;
		this.modelResolver = modelResolver;
	}

	@Override
	public Iterable<Object> retrieve(String context, String contextPath, Object contextValue, String dataType,
			String templateId, String codePath, Iterable<Code> codes, String valueSet, String datePath,
			String dateLowPath, String dateHighPath, Interval dateRange) {
		List<IBaseResource> candidates = data.ofType(dataType);
		if (codePath == null || (codes == null && valueSet == null)) {
			return new ArrayList<>(candidates);
		}
		if (valueSet != null && !valueSets.knows(valueSet)) {
			throw new IllegalArgumentException("Unknown value set " + valueSet);
		}
		Set<String> codeKeys = codes == null ? null : keys(codes);
		List<Object> matching = new ArrayList<>();
		for (IBaseResource resource : candidates) {
			if (matches(resource, codePath, codeKeys, valueSet)) {
				matching.add(resource);
			}
		}
		return matching;
	}

	private boolean matches(IBaseResource resource, String codePath, Set<String> codeKeys, String valueSet) {
		for (Coding coding : codings(resource, modelResolver.resolvePath(resource, codePath))) {
			boolean match = codeKeys != null ? codeKeys.contains(ValueSetIndex.key(coding.getSystem(), coding.getCode()))
					: valueSets.contains(valueSet, coding.getSystem(), coding.getCode());
			if (match) {
				return true;
			}
		}
		return false;
	}

	private static List<Coding> codings(IBaseResource resource, Object value) {
		if (value instanceof CodeableConcept concept) {
			return concept.getCoding();
		}
		if (value instanceof Coding coding) {
			return List.of(coding);
		}
		if (value instanceof Reference reference && resource instanceof DomainResource domain) {
			return containedMedicationCodings(domain, reference);
		}
		if (value instanceof CodeType code) {
			return List.of(new Coding(null, code.getValue(), null));
		}
		if (value instanceof Iterable<?> values) {
			List<Coding> all = new ArrayList<>();
			values.forEach(v -> all.addAll(codings(resource, v)));
			return all;
		}
		return List.of();
	}

	private static List<Coding> containedMedicationCodings(DomainResource resource, Reference reference) {
		String ref = reference.getReference();
		if (ref == null || !ref.startsWith("#")) {
			return List.of();
		}
		for (Resource contained : resource.getContained()) {
			if (contained instanceof Medication medication && ref.substring(1).equals(contained.getIdPart())) {
				return medication.getCode().getCoding();
			}
		}
		return List.of();
	}

	private static Set<String> keys(Iterable<Code> codes) {
		Set<String> keys = new HashSet<>();
		codes.forEach(c -> keys.add(ValueSetIndex.key(c.getSystem(), c.getCode())));
		return keys;
	}

}
