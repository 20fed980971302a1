package org.critcare.cds.content;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;
import org.critcare.cds.CdsServerApplication;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

/**
 * Start-up as an operator sees it (issue 2): the embedded H2 file database keeps data
 * across a restart; a restart with unchanged content writes nothing, changed content
 * updates the stored resource; a file that does not parse or compile stops start-up with
 * a message naming the file and the line.
 */
class ContentLoadingIT {

	@TempDir
	Path dir;

	@Test
	void dataSurvivesARestartUnchangedContentIsNotRewrittenAndChangedContentIsUpdated() throws IOException {
		Path content = copyContent();
		// a hospital's terminology: more ValueSets than HAPI's largest page (500), which
		// a
		// synchronous search without a count cannot read whole
		for (int i = 0; i < 520; i++) {
			Files.writeString(content.resolve("fhir-resources/ValueSet/ValueSet-hospital-" + i + ".json"), """
					{"resourceType":"ValueSet","id":"hospital-%d","url":"http://hospital.example.org/ValueSet/%d",
					 "status":"active","compose":{"include":[{"system":"http://hospital.example.org/codes",
					 "concept":[{"code":"c%d"}]}]}}""".formatted(i, i, i));
		}
		try (ConfigurableApplicationContext first = start(content)) {
			Http http = new Http(port(first));
			assertThat(
					http.put("/fhir/Patient/restart-1", "{\"resourceType\":\"Patient\",\"id\":\"restart-1\"}").status())
				.isEqualTo(201);
			assertThat(versionOf(http, "PlanDefinition/sepsis-perfusion")).isEqualTo("1");
		}
		Path plan = content.resolve("fhir-resources/PlanDefinition/PlanDefinition-bao-rescue-stenting.json");
		Files.writeString(plan, Files.readString(plan)
			.replaceFirst("\"title\": \"[^\"]*\"", "\"title\": \"Rescue stenting in BAO (revised)\""));
		try (ConfigurableApplicationContext second = start(content)) {
			Http http = new Http(port(second));
			assertThat(http.get("/fhir/Patient/restart-1").status()).isEqualTo(200);
			assertThat(versionOf(http, "PlanDefinition/sepsis-perfusion")).isEqualTo("1");
			assertThat(versionOf(http, "Library/SepsisPerfusion")).isEqualTo("1");
			assertThat(versionOf(http, "ValueSet/hospital-519")).isEqualTo("1");
			assertThat(versionOf(http, "PlanDefinition/bao-rescue-stenting")).isEqualTo("2");
			assertThat(http.get("/fhir/PlanDefinition/bao-rescue-stenting").json().path("title").asText())
				.isEqualTo("Rescue stenting in BAO (revised)");
			assertThat(http.get("/actuator/health/readiness").json().path("status").asText()).isEqualTo("UP");
		}
	}

	@Test
	void aBrokenJsonFileStopsStartUpNamingTheFileAndLine() throws IOException {
		Path content = copyContent();
		Path broken = content.resolve("fhir-resources/ValueSet/ValueSet-lactate.json");
		Files.writeString(broken,
				"{\n  \"resourceType\": \"ValueSet\",\n  \"id\": \"lactate\",\n  \"status\" \"active\"\n}\n");
		assertThatThrownBy(() -> start(content).close())
			.satisfies(e -> assertThat(rootMessage(e)).contains(broken.toString() + ":4:")
				.contains("not a valid FHIR JSON resource"));
	}

	@Test
	void brokenCqlStopsStartUpNamingTheFileAndLine() throws IOException {
		Path content = copyContent();
		Path broken = content.resolve("cql/SepsisPerfusion.cql");
		Files.writeString(broken, Files.readString(broken)
			.replace("Data.\"Latest MAP\".mmHg < 50", "Data.\"Latest MAP Reading\".mmHg < 50"));
		int line = lineOf(broken, "Latest MAP Reading");
		assertThatThrownBy(() -> start(content).close()).satisfies(
				e -> assertThat(rootMessage(e)).contains(broken + ":" + line + ":").contains("Latest MAP Reading"));
	}

	private ConfigurableApplicationContext start(Path content) {
		return new SpringApplicationBuilder(CdsServerApplication.class).run("--server.port=0",
				"--cds.data-dir=" + dir.resolve("data"),
				"--cds.content.fhir-resources-dir=" + content.resolve("fhir-resources"),
				"--cds.content.cql-dir=" + content.resolve("cql"), "--cds.hooks.warmup-calls=0");
	}

	private static int port(ConfigurableApplicationContext context) {
		return ((ServletWebServerApplicationContext) context).getWebServer().getPort();
	}

	private static String versionOf(Http http, String resource) {
		JsonNode read = http.get("/fhir/" + resource).json();
		return read.path("meta").path("versionId").asText();
	}

	private Path copyContent() throws IOException {
		Path content = dir.resolve("content");
		for (String folder : new String[] { "fhir-resources", "cql" }) {
			Path source = Path.of(folder);
			try (Stream<Path> files = Files.walk(source)) {
				for (Path file : files.toList()) {
					Path target = content.resolve(folder).resolve(source.relativize(file).toString());
					if (Files.isDirectory(file)) {
						Files.createDirectories(target);
					}
					else {
						Files.copy(file, target);
					}
				}
			}
		}
		return content;
	}

	private static int lineOf(Path file, String text) throws IOException {
		var lines = Files.readAllLines(file);
		for (int i = 0; i < lines.size(); i++) {
			if (lines.get(i).contains(text)) {
				return i + 1;
			}
		}
		throw new IllegalArgumentException(text);
	}

	private static String rootMessage(Throwable e) {
		Throwable cause = e;
		while (cause.getCause() != null && !(cause instanceof InvalidContentException)) {
			cause = cause.getCause();
		}
		return cause.getMessage();
	}

}
