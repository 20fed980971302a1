package org.critcare.cds.content;

import java.nio.charset.StandardCharsets;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.cql.CompiledCqlLibrary;
import org.hl7.fhir.r4.model.CodeableConcept;
import org.hl7.fhir.r4.model.Coding;
import org.hl7.fhir.r4.model.Enumerations.PublicationStatus;
import org.hl7.fhir.r4.model.Library;
import org.hl7.fhir.r4.model.RelatedArtifact;

/**
 * Turns a compiled CQL file into the FHIR Library that carries it (CPG-on-FHIR CQL and
 * ELM library): id and name = the CQL library name, content = the CQL text and its ELM
 * JSON, dataRequirement = what the logic reads, relatedArtifact = the libraries it
 * includes, and description = the file's leading comment.
 */
final class LibraryResources {

	private static final Pattern LEADING_COMMENT = Pattern.compile("^\\s*/\\*(.*?)\\*/", Pattern.DOTALL);

	private LibraryResources() {
	}

	static Library from(CompiledCqlLibrary compiled, String canonicalBase) {
		Library library = new Library();
		library.setId(compiled.name());
		library.setUrl(canonicalBase + "Library/" + compiled.name());
		library.setVersion(compiled.version());
		library.setName(compiled.name());
		library.setTitle(compiled.name());
		library.setStatus(PublicationStatus.ACTIVE);
		library.setType(new CodeableConcept(
				new Coding("http://terminology.hl7.org/CodeSystem/library-type", "logic-library", "Logic Library")));
		String description = description(compiled.cql());
		if (description != null) {
			library.setDescription(description);
		}
		library.addContent().setContentType("text/cql").setData(compiled.cql().getBytes(StandardCharsets.UTF_8));
		library.addContent()
			.setContentType("application/elm+json")
			.setData(compiled.elmJson().getBytes(StandardCharsets.UTF_8));
		for (String include : compiled.includes()) {
			library.addRelatedArtifact()
				.setType(RelatedArtifact.RelatedArtifactType.DEPENDSON)
				.setResource(canonicalBase + "Library/" + include);
		}
		compiled.dataRequirements().forEach(r -> library.addDataRequirement(r.copy()));
		return library;
	}

	private static String description(String cql) {
		Matcher comment = LEADING_COMMENT.matcher(cql);
		if (!comment.find()) {
			return null;
		}
		String text = comment.group(1).replaceAll("(?m)^\\s*\\*\\s?", "").trim();
		return text.isEmpty() ? null : text.replaceAll("\\s+", " ");
	}

}
