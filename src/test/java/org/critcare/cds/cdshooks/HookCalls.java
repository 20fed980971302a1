package org.critcare.cds.cdshooks;

import ca.uhn.fhir.context.FhirContext;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import org.critcare.cds.recommendation.HookCall;
import org.critcare.cds.scenarios.Scenario;

/**
 * Hook calls of scenarios, parsed as the server parses a request (draft orders,
 * selections and their CQL parameters included), for in-process rule tests.
 */
public final class HookCalls {

	private static final HookRequestParser PARSER = new HookRequestParser(new CdsHooksJson(), FhirContext.forR4Cached(),
			new CdsHooksProperties("en", List.of("en", "ja"), Duration.ofDays(7), 1000, 0));

	private HookCalls() {
	}

	/** The call the scenario's hook and context make, in the language. */
	public static HookCall of(Scenario scenario, String language) {
		ObjectNode request = new ObjectMapper().createObjectNode()
			.put("hook", scenario.hook())
			.put("hookInstance", "rules-test");
		request.set("context", scenario.context());
		return PARSER.parse(scenario.service(), request.toString().getBytes(StandardCharsets.UTF_8), language).call();
	}

}
