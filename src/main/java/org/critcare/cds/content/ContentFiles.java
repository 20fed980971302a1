package org.critcare.cds.content;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import ca.uhn.fhir.parser.IParser;
import ca.uhn.fhir.parser.StrictErrorHandler;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileVisitOption;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.critcare.cds.cql.CompiledCqlLibrary;
import org.critcare.cds.cql.CqlCompilationException;
import org.critcare.cds.cql.CqlCompiler;
import org.critcare.cds.cql.CqlLibrarySet;
import org.critcare.cds.cql.CqlSource;
import org.hl7.fhir.instance.model.api.IBaseResource;

/**
 * Reads the knowledge content from disk (issue 2): every FHIR JSON file under the
 * resources directory, parsed strictly, and every {@code .cql} file under the CQL
 * directory, compiled to ELM and wrapped in a FHIR Library. A file that does not parse or
 * compile stops the load with a message naming the file and the line.
 */
public final class ContentFiles {

	private static final Pattern JSON_LOCATION = Pattern.compile("line: (\\d+), column: (\\d+)");

	private final FhirContext fhirContext;

	private final CqlCompiler compiler;

	public ContentFiles(FhirContext fhirContext, CqlCompiler compiler) {
		this.fhirContext = fhirContext;
		this.compiler = compiler;
	}

	/**
	 * Reads the content.
	 * @param resourcesDir the directory of FHIR JSON files (searched recursively)
	 * @param cqlDir the directory of CQL files (searched recursively)
	 * @param canonicalBase the base of the canonical URLs given to the CQL Libraries
	 * @throws InvalidContentException naming the first file that cannot be loaded
	 */
	public List<IBaseResource> read(Path resourcesDir, Path cqlDir, String canonicalBase) {
		List<IBaseResource> resources = new ArrayList<>();
		IParser parser = fhirContext.newJsonParser().setParserErrorHandler(new StrictErrorHandler());
		for (Path file : files(resourcesDir, ".json")) {
			resources.add(parse(parser, file));
		}
		List<CqlSource> sources = new ArrayList<>();
		for (Path file : files(cqlDir, ".cql")) {
			sources.add(new CqlSource(file.toString(), readString(file)));
		}
		CqlLibrarySet compiled;
		try {
			compiled = compiler.compile(sources);
		}
		catch (CqlCompilationException e) {
			throw new InvalidContentException(e.getMessage(), e);
		}
		for (CompiledCqlLibrary library : compiled.libraries()) {
			resources.add(LibraryResources.from(library, canonicalBase));
		}
		return resources;
	}

	private IBaseResource parse(IParser parser, Path file) {
		String json = readString(file);
		try {
			IBaseResource resource = parser.parseResource(json);
			if (!resource.getIdElement().hasIdPart()) {
				throw new InvalidContentException(file + ":1:1: the resource has no id", null);
			}
			return resource;
		}
		catch (DataFormatException e) {
			Matcher at = JSON_LOCATION.matcher(e.getMessage());
			String where = at.find() ? at.group(1) + ":" + at.group(2) : "1:1";
			throw new InvalidContentException(
					file + ":" + where + ": not a valid FHIR JSON resource: " + e.getMessage(), e);
		}
	}

	private static List<Path> files(Path dir, String suffix) {
		if (!Files.isDirectory(dir)) {
			throw new InvalidContentException("Content directory " + dir.toAbsolutePath() + " does not exist", null);
		}
		try (Stream<Path> walk = Files.walk(dir, FileVisitOption.FOLLOW_LINKS)) {
			return walk.filter(f -> f.getFileName().toString().endsWith(suffix)).sorted().toList();
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String readString(Path file) {
		try {
			return Files.readString(file, StandardCharsets.UTF_8);
		}
		catch (IOException e) {
			throw new InvalidContentException(file + ": cannot be read: " + e.getMessage(), e);
		}
	}

}
