package org.critcare.cds.content;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The example patients the content ships per CDS service: {@code
 *
<dir>
 * /<service>/*.json}, each a FHIR Bundle (type collection) holding one patient's record
 * and any draft orders (status {@code draft}), its {@code timestamp} the moment the
 * record describes, and in {@code meta.tag} the rule ids (CodeSystem rule-id) the example
 * makes fire. The start-up warm-up replays them; the rule tests evaluate the same
 * Bundles. They are never stored.
 */
public final class ExamplePatients {

	private static final ObjectMapper JSON = new ObjectMapper();

	/**
	 * One example.
	 *
	 * @param service the CDS service id (its folder)
	 * @param name the file name without {@code .json}
	 * @param bundle the Bundle as JSON
	 */
	public record ExamplePatient(String service, String name, ObjectNode bundle) {
	}

	private ExamplePatients() {
	}

	/**
	 * Every example under the directory; none when it does not exist.
	 * @throws InvalidContentException when a file is not a JSON Bundle with a timestamp
	 */
	public static List<ExamplePatient> read(Path dir) {
		List<ExamplePatient> examples = new ArrayList<>();
		if (!Files.isDirectory(dir)) {
			return examples;
		}
		try (Stream<Path> files = Files.walk(dir, 2)) {
			for (Path file : files.filter(f -> f.toString().endsWith(".json")).sorted().toList()) {
				if (file.getParent().equals(dir)) {
					continue;
				}
				examples.add(readFile(file));
			}
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		return examples;
	}

	private static ExamplePatient readFile(Path file) throws IOException {
		JsonNode bundle;
		try {
			bundle = JSON.readTree(file.toFile());
		}
		catch (JsonProcessingException e) {
			throw new InvalidContentException(file + ": not JSON: " + e.getOriginalMessage(), e);
		}
		if (!bundle.path("resourceType").asText().equals("Bundle") || !bundle.path("timestamp").isTextual()) {
			throw new InvalidContentException(file + ": an example patient is a Bundle with a timestamp", null);
		}
		String name = file.getFileName().toString();
		return new ExamplePatient(file.getParent().getFileName().toString(), name.substring(0, name.length() - 5),
				(ObjectNode) bundle);
	}

}
