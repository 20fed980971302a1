package org.critcare.cds.content;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * The key evidence numbers, checked on the knowledge files in {@code fhir-resources/}.
 */
class EvidenceNumbersTests extends EvidenceNumbersContract {

	@Override
	<T extends IBaseResource> T resource(Class<T> type, String id) {
		String name = type.getSimpleName();
		Path file = KnowledgeArtifactsTests.ROOT.resolve(name).resolve(name + "-" + id + ".json");
		try {
			return KnowledgeArtifactsTests.FHIR.newJsonParser().parseResource(type, Files.readString(file));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	@Override
	List<String> ids(Class<? extends IBaseResource> type, String prefix) throws IOException {
		Path folder = KnowledgeArtifactsTests.ROOT.resolve(type.getSimpleName());
		if (!Files.isDirectory(folder)) {
			return List.of();
		}
		String head = type.getSimpleName() + "-";
		try (Stream<Path> files = Files.list(folder)) {
			return files.map(f -> f.getFileName().toString())
				.map(n -> n.substring(head.length(), n.length() - ".json".length()))
				.filter(id -> id.startsWith(prefix))
				.toList();
		}
	}

}
