package org.critcare.cds.cql;

import static kotlinx.io.CoreKt.buffered;
import static kotlinx.io.JvmCoreKt.asSource;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import kotlinx.io.Source;
import org.cqframework.cql.cql2elm.CqlCompilerException;
import org.cqframework.cql.cql2elm.CqlCompilerOptions;
import org.cqframework.cql.cql2elm.CqlTranslator;
import org.cqframework.cql.cql2elm.LibraryBuilder.SignatureLevel;
import org.cqframework.cql.cql2elm.LibraryManager;
import org.cqframework.cql.cql2elm.LibrarySourceProvider;
import org.cqframework.cql.cql2elm.ModelManager;
import org.cqframework.cql.cql2elm.model.CompiledLibrary;
import org.cqframework.cql.cql2elm.tracking.TrackBack;
import org.cqframework.cql.elm.requirements.fhir.DataRequirementsProcessor;
import org.hl7.elm.r1.ExpressionDef;
import org.hl7.elm.r1.FunctionDef;
import org.hl7.elm.r1.IncludeDef;
import org.hl7.elm.r1.VersionedIdentifier;
import org.hl7.fhir.convertors.factory.VersionConvertorFactory_40_50;
import org.hl7.fhir.r4.model.DataRequirement;

/**
 * Compiles a set of CQL libraries to ELM once, at load time, never on the request path
 * (issue 4). Libraries include each other by name; every problem is reported with its
 * file, line and column. The result keeps the compiled libraries in memory for the
 * {@link CqlEvaluator}.
 */
public final class CqlCompiler {

	private static final Pattern HEADER = Pattern.compile(
			"^\\s*library\\s+(\"([^\"]+)\"|([A-Za-z_][A-Za-z0-9_]*))(\\s+version\\s+'([^']+)')?", Pattern.MULTILINE);

	private final ModelManager modelManager = new ModelManager(new ConcurrentHashMap<>());

	private List<CqlSource> lastSources = List.of();

	private CqlLibrarySet lastCompiled;

	/**
	 * Compiles every source, or returns the previous result when the sources are the same
	 * (the content loader and the knowledge catalog compile the same CQL at start-up).
	 * @throws CqlCompilationException naming each file and line that does not compile
	 */
	public synchronized CqlLibrarySet compile(List<CqlSource> sources) {
		if (lastCompiled != null && texts(sources).equals(texts(lastSources))) {
			return lastCompiled;
		}
		CqlLibrarySet compiled = compileAll(sources);
		lastSources = List.copyOf(sources);
		lastCompiled = compiled;
		return compiled;
	}

	/**
	 * The translator's recommended options, with a signature on every function call (as
	 * clinical-reasoning compiles for {@code $apply}): the engine caches the function a
	 * call with a signature resolves to, and resolves a call without one from its
	 * arguments' runtime types each time it is made (once per Observation in a query).
	 */
	static CqlCompilerOptions compilerOptions() {
		return CqlCompilerOptions.defaultOptions().withSignatureLevel(SignatureLevel.All);
	}

	private static List<String> texts(List<CqlSource> sources) {
		return sources.stream().map(CqlSource::text).sorted().toList();
	}

	/**
	 * Compiles every source; includes resolve among the given sources by library name.
	 */
	private CqlLibrarySet compileAll(List<CqlSource> sources) {
		Map<String, Declared> declared = declare(sources);
		CqlCompilerOptions options = compilerOptions();
		LibraryManager libraryManager = new LibraryManager(modelManager, options, new ConcurrentHashMap<>());
		libraryManager.getLibrarySourceLoader().registerProvider(new SourceProvider(declared));

		List<String> problems = new ArrayList<>();
		Map<String, CompiledLibrary> compiled = new LinkedHashMap<>();
		for (Declared library : declared.values()) {
			List<CqlCompilerException> errors = new ArrayList<>();
			try {
				CompiledLibrary result = libraryManager.resolveLibrary(library.identifier(), errors);
				compiled.put(library.name(), result);
			}
			catch (CqlCompilerException e) {
				errors.add(e);
			}
			for (CqlCompilerException error : errors) {
				if (error.getSeverity() == CqlCompilerException.ErrorSeverity.Error) {
					problems.add(describe(error, library, declared));
				}
			}
		}
		if (!problems.isEmpty()) {
			throw new CqlCompilationException(problems.stream().distinct().toList());
		}

		Map<String, CompiledCqlLibrary> libraries = new LinkedHashMap<>();
		DataRequirementsProcessor requirements = new DataRequirementsProcessor();
		for (Declared library : declared.values()) {
			CompiledLibrary result = compiled.get(library.name());
			libraries.put(library.name(), describe(library, result, requirements, libraryManager, options));
		}
		return new CqlLibrarySet(libraryManager, libraries);
	}

	private static CompiledCqlLibrary describe(Declared library, CompiledLibrary result,
			DataRequirementsProcessor requirements, LibraryManager libraryManager, CqlCompilerOptions options) {
		var elm = result.getLibrary();
		List<DataRequirement> dataRequirements = requirements
			.gatherDataRequirements(libraryManager, result, options, null, false, true)
			.getDataRequirement()
			.stream()
			.map(r -> (DataRequirement) VersionConvertorFactory_40_50.convertType(r))
			.toList();
		List<String> includes = elm.getIncludes() == null ? List.of()
				: elm.getIncludes().getDef().stream().map(IncludeDef::getPath).toList();
		Set<String> expressions = new LinkedHashSet<>();
		if (elm.getStatements() != null) {
			for (ExpressionDef def : elm.getStatements().getDef()) {
				if (!(def instanceof FunctionDef)) {
					expressions.add(def.getName());
				}
			}
		}
		return new CompiledCqlLibrary(library.name(), library.version(), library.source().location(),
				library.source().text(), CqlTranslator.convertToJson(elm), dataRequirements, includes,
				Set.copyOf(expressions));
	}

	private static Map<String, Declared> declare(List<CqlSource> sources) {
		Map<String, Declared> declared = new LinkedHashMap<>();
		List<String> problems = new ArrayList<>();
		for (CqlSource source : sources) {
			Matcher header = HEADER.matcher(stripComments(source.text()));
			if (!header.find()) {
				problems.add(source.location() + ":1:1: no 'library <Name> version '<version>'' declaration");
				continue;
			}
			String name = header.group(2) != null ? header.group(2) : header.group(3);
			Declared previous = declared.put(name, new Declared(name, header.group(5), source));
			if (previous != null) {
				problems.add(source.location() + ":1:1: library " + name + " is also declared in "
						+ previous.source().location());
			}
		}
		if (!problems.isEmpty()) {
			throw new CqlCompilationException(problems);
		}
		return declared;
	}

	private static String stripComments(String cql) {
		return cql.replaceAll("(?s)/\\*.*?\\*/", " ").replaceAll("//[^\\n]*", "");
	}

	private static String describe(CqlCompilerException error, Declared compiling, Map<String, Declared> declared) {
		TrackBack where = error.getLocator();
		String location = compiling.source().location();
		if (where == null) {
			return location + ":1:1: " + error.getMessage();
		}
		if (where.getLibrary() != null && declared.containsKey(where.getLibrary().getId())) {
			location = declared.get(where.getLibrary().getId()).source().location();
		}
		return location + ":" + where.getStartLine() + ":" + where.getStartChar() + ": " + error.getMessage();
	}

	/** A library as declared in its source header. */
	private record Declared(String name, String version, CqlSource source) {

		VersionedIdentifier identifier() {
			return new VersionedIdentifier().withId(name).withVersion(version);
		}

	}

	/**
	 * Serves the declared sources to the translator; a version mismatch is an unresolved
	 * include.
	 */
	private record SourceProvider(Map<String, Declared> declared) implements LibrarySourceProvider {

		@Override
		public Source getLibrarySource(VersionedIdentifier identifier) {
			Declared library = declared.get(identifier.getId());
			if (library == null
					|| (identifier.getVersion() != null && !identifier.getVersion().equals(library.version()))) {
				return null;
			}
			byte[] bytes = library.source().text().getBytes(StandardCharsets.UTF_8);
			return buffered(asSource(new ByteArrayInputStream(bytes)));
		}

	}

}
