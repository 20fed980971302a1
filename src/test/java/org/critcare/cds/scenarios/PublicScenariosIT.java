package org.critcare.cds.scenarios;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.critcare.cds.support.CdsServerTest;
import org.critcare.cds.support.Http;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.springframework.boot.test.web.server.LocalServerPort;

/**
 * Every public scenario (shared/clinical/scenarios-public.json, copied to the test
 * resources) of every offered service, against the running server in both data modes, as
 * shared/tools/cds-scenarios.py runs them. Scenarios of services not offered yet are
 * skipped.
 */
@CdsServerTest
class PublicScenariosIT {

	@LocalServerPort
	int port;

	@TestFactory
	Stream<DynamicTest> everyPublicScenarioFiresExactlyTheExpectedCardsInBothModes() {
		Http http = new Http(port);
		ScenarioRunner runner = new ScenarioRunner(http);
		Set<String> offered = Stream.of(http.get("/cds-services").json().path("services"))
			.flatMap(services -> java.util.stream.StreamSupport.stream(services.spliterator(), false))
			.map(s -> s.path("id").asText())
			.collect(Collectors.toSet());
		return Scenario.publicScenarios()
			.stream()
			.flatMap(s -> Stream.of(ScenarioRunner.Mode.values())
				.map(mode -> DynamicTest.dynamicTest(s.id() + " [" + mode + "] " + s.description(), () -> {
					assumeTrue(offered.contains(s.service()), s.service() + " is not offered yet");
					assertThat(runner.run(s, mode)).as(s.id() + " " + mode).isEmpty();
				})));
	}

}
