package org.critcare.cds.cql;

import java.util.List;
import java.util.Set;
import org.hl7.fhir.r4.model.DataRequirement;

/**
 * One compiled CQL library: its identity, source, ELM (JSON) and the data it reads, as
 * FHIR R4 DataRequirements (resource type and, where the logic narrows it, codes or value
 * sets).
 *
 * @param name the library name, e.g. {@code SepsisPerfusion}
 * @param version the library version, e.g. {@code 1.0.0}
 * @param location where the source came from
 * @param cql the CQL text
 * @param elmJson the compiled ELM as JSON
 * @param dataRequirements what the library (with its includes) retrieves
 * @param includes names of the libraries it includes
 * @param expressions names of its expression definitions
 */
public record CompiledCqlLibrary(String name, String version, String location, String cql, String elmJson,
		List<DataRequirement> dataRequirements, List<String> includes, Set<String> expressions) {
}
