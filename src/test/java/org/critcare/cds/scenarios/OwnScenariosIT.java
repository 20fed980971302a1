package org.critcare.cds.scenarios;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * The project's own scenarios (every src/test/resources/scenarios/scenarios-*.json but
 * the public file), written from CLINICAL-SPEC, against the running server in both data
 * modes, as {@link PublicScenariosIT} runs the public ones.
 */
@CdsServerTest
class OwnScenariosIT {

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> everyOwnScenarioFiresExactlyTheExpectedCardsInBothModes() throws IOException {
		ScenarioRunner runner = new ScenarioRunner(new Http(port));
		List<Path> files;
		try (Stream<Path> listed = Files.list(Path.of("src/test/resources/scenarios"))) {
			files = listed.filter(f -> f.getFileName().toString().startsWith("scenarios-"))
				.filter(f -> !f.getFileName().toString().equals("scenarios-public.json"))
				.sorted()
				.toList();
		}
		return files.stream()
			.flatMap(f -> Scenario.load("/scenarios/" + f.getFileName()).stream())
			.flatMap(s -> Stream.of(ScenarioRunner.Mode.values())
				.map(mode -> DynamicTest.dynamicTest(s.id() + " [" + mode + "] " + s.description(),
						() -> assertThat(runner.run(s, mode)).as(s.id() + " " + mode).isEmpty())));
	}

}
