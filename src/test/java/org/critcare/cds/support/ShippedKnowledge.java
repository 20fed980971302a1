package org.critcare.cds.support;

import ca.uhn.fhir.context.FhirContext;
import java.nio.file.Path;
import org.critcare.cds.content.ContentFiles;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.knowledge.Knowledge;
import org.critcare.cds.knowledge.KnowledgeBuilder;
import org.critcare.cds.knowledge.KnowledgeResources;

/**
 * The knowledge as shipped ({@code cql/} and {@code fhir-resources/}), built in process
 * the way the server builds it, without a server; built once and shared. Run from the
 * project directory.
 */
public final class ShippedKnowledge {

	private static Knowledge knowledge;

	private ShippedKnowledge() {
	}

	public static synchronized Knowledge get(FhirContext fhir) {
		if (knowledge == null) {
			var resources = new ContentFiles(fhir, new CqlCompiler()).read(Path.of("fhir-resources"), Path.of("cql"),
					"http://example.org/cds/");
			knowledge = new KnowledgeBuilder(new CqlCompiler(), fhir).build(KnowledgeResources.of(resources, fhir));
		}
		return knowledge;
	}

}
