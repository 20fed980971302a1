package org.critcare.cds.knowledge;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.util.FhirTerser;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.ActivityDefinition;
import org.hl7.fhir.r4.model.CodeSystem;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.PlanDefinition;
import org.hl7.fhir.r4.model.ValueSet;
import org.critcare.cds.knowledge.KnowledgeResources;

/**
 * The stored resources knowledge is built from.
 *
 * @param planDefinitions every PlanDefinition (only eca-rules become services)
 * @param libraries every Library (those with text/cql content are compiled)
 * @param valueSets every ValueSet (pre-expanded)
 * @param codeSystems every CodeSystem (for displays and their translations)
 * @param activityDefinitions every ActivityDefinition (suggestions of cards)
 * @param locationsByCanonical canonical URL → {@code Type/id} of the resources cards may
 * cite
 */
public record KnowledgeResources(List<PlanDefinition> planDefinitions, List<Library> libraries,
		List<ValueSet> valueSets, List<CodeSystem> codeSystems, List<ActivityDefinition> activityDefinitions,
		Map<String, String> locationsByCanonical) {

	/**
	 * Sorts knowledge resources of any type; every resource with a canonical url can be
	 * cited.
	 */
	public static KnowledgeResources of(Collection<? extends IBaseResource> resources, FhirContext fhirContext) {
		List<PlanDefinition> planDefinitions = new ArrayList<>();
		List<Library> libraries = new ArrayList<>();
		List<ValueSet> valueSets = new ArrayList<>();
		List<CodeSystem> codeSystems = new ArrayList<>();
		List<ActivityDefinition> activityDefinitions = new ArrayList<>();
		Map<String, String> locations = new HashMap<>();
		FhirTerser terser = fhirContext.newTerser();
		for (IBaseResource resource : resources) {
			if (resource instanceof PlanDefinition plan) {
				planDefinitions.add(plan);
			}
			else if (resource instanceof Library library) {
				libraries.add(library);
			}
			else if (resource instanceof ValueSet valueSet) {
				valueSets.add(valueSet);
			}
			else if (resource instanceof CodeSystem codeSystem) {
				codeSystems.add(codeSystem);
			}
			else if (resource instanceof ActivityDefinition activity) {
				activityDefinitions.add(activity);
			}
			if (fhirContext.getResourceDefinition(resource).getChildByName("url") != null) {
				String url = terser.getSinglePrimitiveValueOrNull(resource, "url");
				if (url != null) {
					locations.put(url, resource.fhirType() + "/" + resource.getIdElement().getIdPart());
				}
			}
		}
		return new KnowledgeResources(planDefinitions, libraries, valueSets, codeSystems, activityDefinitions,
				Map.copyOf(locations));
	}

}
