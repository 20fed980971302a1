package org.critcare.cds.cql;

import ca.uhn.fhir.context.BaseRuntimeChildDefinition;
import ca.uhn.fhir.context.FhirContext;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.critcare.cds.patientdata.PatientData;
import org.hl7.fhir.instance.model.api.IBase;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.CodeType;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.DomainResource;
import org.hl7.fhir.r4.model.Medication;
import org.hl7.fhir.r4.model.Reference;
import org.hl7.fhir.r4.model.Resource;
import org.opencds.cqf.cql.engine.retrieve.RetrieveProvider;
import org.opencds.cqf.cql.engine.runtime.Code;
import org.opencds.cqf.cql.engine.runtime.Interval;

/**
 * Serves CQL retrieves from one patient's resources held in memory. A retrieve narrowed
 * by codes or a value set keeps the resources with a matching coding at the retrieve's
 * code path (a medication given by reference counts by the code of the Medication it
 * names: one contained in the resource, or one elsewhere in the call's data, e.g. in the
 * draft orders Bundle; CLINICAL-SPEC §7.4, issue 9); the code path {@code meta.tag}
 * matches the resource's tags (CLINICAL-SPEC §10.3). The resources of a type are indexed
 * by their codings once per call, so each retrieve costs a lookup per code, not a pass
 * over the record. Date filtering is left to the CQL.
 */
final class InMemoryRetrieveProvider implements RetrieveProvider {

	/**
	 * The code path of a retrieve by tag
	 * ({@code [MedicationAdministration: meta.tag in …]}).
	 */
	static final String META_TAG = "meta.tag";

	/** How to read a code path of a resource type, looked up once per JVM. */
	private static final Map<String, BaseRuntimeChildDefinition> CHILDREN = new ConcurrentHashMap<>();

	private final PatientData data;

	private final ValueSetIndex valueSets;

	private final FhirContext fhirContext;

	private final Map<String, Map<String, List<IBaseResource>>> indexes = new HashMap<>();

	InMemoryRetrieveProvider(PatientData data, ValueSetIndex valueSets, FhirContext fhirContext) {
		this.data = data;
		this.valueSets = valueSets;
		this.fhirContext = fhirContext;
	}

	@Override
	public Iterable<Object> retrieve(String context, String contextPath, Object contextValue, String dataType,
			String templateId, String codePath, Iterable<Code> codes, String valueSet, String datePath,
			String dateLowPath, String dateHighPath, Interval dateRange) {
		List<IBaseResource> candidates = data.ofType(dataType);
		if (codePath == null || (codes == null && valueSet == null) || candidates.isEmpty()) {
			return new ArrayList<>(candidates);
		}
		Map<String, List<IBaseResource>> index = indexes.computeIfAbsent(dataType + " " + codePath,
				k -> index(candidates, dataType, codePath));
		Collection<Code> wanted = codes != null ? list(codes) : valueSets.codes(valueSet);
		Map<IBaseResource, Boolean> matching = new IdentityHashMap<>();
		List<Object> result = new ArrayList<>();
		for (Code code : wanted) {
			for (IBaseResource resource : index.getOrDefault(ValueSetIndex.key(code.getSystem(), code.getCode()),
					List.of())) {
				if (matching.put(resource, Boolean.TRUE) == null) {
					result.add(resource);
				}
			}
		}
		return result;
	}

	private Map<String, List<IBaseResource>> index(List<IBaseResource> resources, String type, String codePath) {
		BaseRuntimeChildDefinition child = META_TAG.equals(codePath) ? null
				: CHILDREN.computeIfAbsent(type + " " + codePath, k -> child(type, codePath));
		Map<String, List<IBaseResource>> index = new LinkedHashMap<>();
		for (IBaseResource resource : resources) {
			Set<String> keys = new java.util.HashSet<>();
			List<? extends IBase> values = child == null ? resource.getMeta().getTag()
					: child.getAccessor().getValues(resource);
			for (IBase value : values) {
				for (Coding coding : codings(resource, value)) {
					keys.add(ValueSetIndex.key(coding.getSystem(), coding.getCode()));
				}
			}
			keys.forEach(key -> index.computeIfAbsent(key, k -> new ArrayList<>()).add(resource));
		}
		return index;
	}

	private BaseRuntimeChildDefinition child(String type, String codePath) {
		var definition = fhirContext.getResourceDefinition(type);
		BaseRuntimeChildDefinition child = definition.getChildByName(codePath);
		if (child == null) {
			child = definition.getChildByName(codePath + "[x]");
		}
		if (child == null) {
			throw new IllegalArgumentException("No code path " + codePath + " on " + type);
		}
		return child;
	}

	private List<Coding> codings(IBaseResource resource, IBase value) {
		if (value instanceof CodeableConcept concept) {
			return concept.getCoding();
		}
		if (value instanceof Coding coding) {
			return List.of(coding);
		}
		if (value instanceof Reference reference && resource instanceof DomainResource domain) {
			return medicationCodings(domain, reference);
		}
		if (value instanceof CodeType code) {
			return List.of(new Coding(null, code.getValue(), null));
		}
		return List.of();
	}

	private List<Coding> medicationCodings(DomainResource resource, Reference reference) {
		String ref = reference.getReference();
		if (ref == null) {
			return List.of();
		}
		if (ref.startsWith("#")) {
			for (Resource contained : resource.getContained()) {
				if (contained instanceof Medication medication && ref.substring(1).equals(contained.getIdPart())) {
					return medication.getCode().getCoding();
				}
			}
			return List.of();
		}
		String id = medicationId(ref);
		for (IBaseResource candidate : data.ofType("Medication")) {
			if (candidate instanceof Medication medication && id != null
					&& id.equals(medication.getIdElement().getIdPart())) {
				return medication.getCode().getCoding();
			}
		}
		return List.of();
	}

	/**
	 * The logical id a reference names when it names a Medication: {@code Medication/id},
	 * an absolute URL ending so, or {@code urn:uuid:id} (a draft's id taken from its
	 * fullUrl).
	 */
	private static String medicationId(String ref) {
		if (ref.startsWith("urn:uuid:")) {
			return ref.substring("urn:uuid:".length());
		}
		String path = ref.replaceFirst("/_history/[^/]*$", "");
		int slash = path.lastIndexOf('/');
		String type = path.substring(0, Math.max(slash, 0));
		if (slash < 0 || !(type.equals("Medication") || type.endsWith("/Medication"))) {
			return null;
		}
		return path.substring(slash + 1);
	}

	private static Collection<Code> list(Iterable<Code> codes) {
		List<Code> list = new ArrayList<>();
		codes.forEach(list::add);
		return list;
	}

}
