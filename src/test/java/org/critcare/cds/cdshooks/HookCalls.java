package org.critcare.cds.cdshooks;

import org.critcare.cds.limits.RequestLimits;
import org.springframework.util.unit.DataSize;

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

	private static final HookRequestParser PARSER = new HookRequestParser(new CdsHooksJson(FhirContext.forR4Cached()),
			FhirContext.forR4Cached(), new CdsHooksProperties("en", List.of("en", "ja"), 0, Duration.ZERO),
			new PrefetchParser(FhirContext.forR4Cached(), new RequestLimits(DataSize.ofMegabytes(8), 5000, 500, 100)));

	private HookCalls() {
	}

	/** The call the scenario's hook and context make, in the language. */
	public static HookCall of(Scenario scenario, String language) {
		ObjectNode request = new ObjectMapper().createObjectNode()
			.put("hook", scenario.hook())
			.put("hookInstance", "0e2c9a3e-8a4f-4b7e-9a51-3f1d2c4b5a6e");
		request.set("context", scenario.context());
		return parse(scenario.service(), request.toString().getBytes(StandardCharsets.UTF_8), language);
	}

	/** The call a request body makes, read and checked as the server reads it. */
	public static HookCall parse(String serviceId, byte[] body, String language) {
		return PARSER.parse(serviceId, body, language).call();
	}

}
