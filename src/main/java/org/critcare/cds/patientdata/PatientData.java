package org.critcare.cds.patientdata;

import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The FHIR resources of one patient that a CDS service call evaluates, indexed by
 * resource type. Each resource appears once: the same type/id delivered twice (e.g. by
 * two prefetch keys, or by prefetch and by a fetch) is kept once, the first copy winning
 * (CDS Hooks §Prefetch: prefetched data equals what the service would read itself).
 */
public final class PatientData {

	private final Map<String, List<IBaseResource>> byType;

	private PatientData(Map<String, List<IBaseResource>> byType) {
		this.byType = byType;
	}

	/** The resources of one patient, de-duplicated by type and logical id. */
	public static PatientData of(Collection<? extends IBaseResource> resources) {
		Map<String, IBaseResource> unique = new LinkedHashMap<>();
		int anonymous = 0;
		for (IBaseResource resource : resources) {
			String type = resource.fhirType();
			String id = resource.getIdElement().getIdPart();
			unique.putIfAbsent(type + "/" + (id == null ? "#" + anonymous++ : id), resource);
		}
		Map<String, List<IBaseResource>> byType = new HashMap<>();
		for (IBaseResource resource : unique.values()) {
			byType.computeIfAbsent(resource.fhirType(), t -> new ArrayList<>()).add(resource);
		}
		return new PatientData(byType);
	}

	/**
	 * These resources with others that take precedence over them (same type and id), e.g.
	 * the draft orders of an order hook over a stored copy of an order.
	 */
	public PatientData withFirst(Collection<? extends IBaseResource> first) {
		if (first.isEmpty()) {
			return this;
		}
		List<IBaseResource> all = new ArrayList<>(first);
		byType.values().forEach(all::addAll);
		return of(all);
	}

	/** The resources of the given FHIR type, in the order they were delivered. */
	public List<IBaseResource> ofType(String type) {
		return byType.getOrDefault(type, List.of());
	}

	/** How many resources there are in all. */
	public int size() {
		return byType.values().stream().mapToInt(List::size).sum();
	}

}
