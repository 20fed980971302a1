package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import ca.uhn.fhir.context.FhirContext;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.critcare.cds.cql.CqlCompiler;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Content that cannot be loaded is reported with its file and line (issue 2). */
class ContentFilesTests {

	@TempDir
	Path dir;

	final ContentFiles files = new ContentFiles(FhirContext.forR4Cached(), new CqlCompiler());

	@Test
	void jsonThatDoesNotParseNamesTheFileAndLine() throws IOException {
		Path json = write("fhir/ValueSet/ValueSet-x.json",
				"{\n  \"resourceType\": \"ValueSet\",\n  \"id\": \"x\"\n  \"status\": \"active\"\n}");
		write("cql/Empty.cql", "library Empty version '1.0.0'\n");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.isInstanceOf(InvalidContentException.class)
			.hasMessageStartingWith(json + ":4:");
	}

	@Test
	void aResourceWithAnUnknownElementOrNoIdIsRejected() throws IOException {
		Path unknown = write("fhir/Basic/Basic-a.json", "{\"resourceType\":\"Basic\",\"id\":\"a\",\"colour\":\"red\"}");
		write("cql/Empty.cql", "library Empty version '1.0.0'\n");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.hasMessageContaining(unknown.toString())
			.hasMessageContaining("colour");
		Files.delete(unknown);
		Path noId = write("fhir/Basic/Basic-b.json", "{\"resourceType\":\"Basic\"}");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.hasMessageStartingWith(noId + ":1:1: the resource has no id");
	}

	@Test
	void cqlThatDoesNotCompileNamesTheFileAndLine() throws IOException {
		Files.createDirectories(dir.resolve("fhir"));
		Path cql = write("cql/Broken.cql", "library Broken version '1.0.0'\n\ndefine \"A\":\n  1 +\n");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.isInstanceOf(InvalidContentException.class)
			.hasMessageContaining(cql + ":");
		Path include = write("cql/Includer.cql", "library Includer version '1.0.0'\ninclude Missing version '1'\n");
		Files.delete(cql);
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.hasMessageContaining(include + ":2:");
	}

	@Test
	void aCqlFileWithoutALibraryDeclarationOrADuplicateNameIsRejected() throws IOException {
		Files.createDirectories(dir.resolve("fhir"));
		Path anonymous = write("cql/A.cql", "define \"X\": 1\n");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.hasMessageContaining(anonymous + ":1:1: no 'library");
		Files.delete(anonymous);
		write("cql/B.cql", "library Same version '1.0.0'\n");
		Path second = write("cql/C.cql", "library Same version '1.0.0'\n");
		assertThatThrownBy(() -> files.read(dir.resolve("fhir"), dir.resolve("cql"), "http://x/"))
			.hasMessageContaining(second + ":1:1: library Same is also declared in");
	}

	private Path write(String relative, String text) throws IOException {
		Path file = dir.resolve(relative);
		Files.createDirectories(file.getParent());
		Files.writeString(file, text);
		return file;
	}

}
