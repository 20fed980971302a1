package org.critcare.cds.cdshooks;

import java.io.IOException;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.critcare.cds.content.ContentProperties;
import org.critcare.cds.content.ExamplePatients;
import org.critcare.cds.content.ExamplePatients.ExamplePatient;
import org.critcare.cds.recommendation.RecommendationService;
import org.critcare.cds.knowledge.ServiceDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.ApplicationArguments;
import org.springframework.boot.ApplicationRunner;
import org.springframework.core.annotation.Order;
import org.springframework.core.env.Environment;
import org.springframework.stereotype.Component;

/**
 * Calls every offered service on every hook it answers, a configured number of times,
 * over HTTP on loopback, before the server reports ready (issue 4: the first call after
 * start-up is as fast as later ones). The calls take the whole path an EHR's call takes —
 * Tomcat, parsing, data, CQL, cards, serialization — with the example patients the
 * content ships for the service ({@link ExamplePatients}, replayed by
 * {@link WarmupCalls}); every tenth call sends no prefetch and reads the own store (where
 * the examples are not). Nothing is stored, and the calls carry {@link #WARMUP_HEADER}
 * with a value only this process knows, so that they are neither logged one by one nor
 * counted in the metrics.
 */
@Component
@Order(2)
class CdsHooksWarmup implements ApplicationRunner {

	private static final Logger log = LoggerFactory.getLogger(CdsHooksWarmup.class);

	/** Marks warm-up calls, with {@link #WARMUP_SECRET} as its value. */
	static final String WARMUP_HEADER = "X-Critcare-Warmup";

	/**
	 * A random value made when the server starts and never sent anywhere but to itself:
	 * only the server can mark a call as its own warm-up (a client that sends the header
	 * with any other value is logged as usual).
	 */
	private static final String WARMUP_SECRET = new BigInteger(128, new SecureRandom()).toString(36);

	static boolean isWarmup(String headerValue) {
		return headerValue != null && MessageDigest.isEqual(headerValue.getBytes(StandardCharsets.UTF_8),
				WARMUP_SECRET.getBytes(StandardCharsets.UTF_8));
	}

	private final RecommendationService recommendations;

	private final Environment environment;

	private final Path examplesDir;

	private final int calls;

	private final Duration budget;

	CdsHooksWarmup(RecommendationService recommendations, Environment environment, CdsHooksProperties properties,
			ContentProperties content) {
		this.recommendations = recommendations;
		this.environment = environment;
		this.examplesDir = content.examplesDir();
		this.calls = properties.warmupCalls();
		this.budget = properties.warmupTime();
	}

	@Override
	public void run(ApplicationArguments args) throws IOException, InterruptedException {
		String port = environment.getProperty("local.server.port");
		if (calls <= 0 || port == null) {
			return;
		}
		long started = System.nanoTime();
		HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
		int failed = 0;
		List<ExamplePatient> examples = ExamplePatients.read(examplesDir);
		long hooks = recommendations.services().stream().mapToLong(s -> s.hooks().size()).sum();
		long perHookNanos = hooks == 0 ? 0 : budget.toNanos() / hooks;
		int sent = 0;
		for (ServiceDefinition service : recommendations.services()) {
			URI uri = URI.create("http://127.0.0.1:" + port + "/cds-services/" + service.id());
			List<ExamplePatient> own = examples.stream().filter(e -> e.service().equals(service.id())).toList();
			if (own.isEmpty()) {
				log.info("Warm-up: no example patients for {} in {}", service.id(), examplesDir);
				continue;
			}
			for (String hook : service.hooks()) {
				long hookStarted = System.nanoTime();
				for (int i = 0; i < calls && System.nanoTime() - hookStarted < perHookNanos; i++) {
					sent++;
					boolean ownStore = i % 10 == 9;
					byte[] body = WarmupCalls.request(service, hook, own.get(i % own.size()), Instant.now(), !ownStore);
					HttpRequest call = HttpRequest.newBuilder(uri)
						.header("Content-Type", "application/json")
						.header("Accept-Language", i % 10 == 0 ? "ja" : "en")
						.header(WARMUP_HEADER, WARMUP_SECRET)
						.POST(HttpRequest.BodyPublishers.ofByteArray(body))
						.build();
					if (http.send(call, HttpResponse.BodyHandlers.discarding()).statusCode() != 200) {
						failed++;
					}
				}
			}
		}
		log.info("Warm-up: {} calls in {} ms (at most {} per service and hook, {} in all){}", sent,
				(System.nanoTime() - started) / 1_000_000, calls, budget,
				failed == 0 ? "" : " (" + failed + " failed)");
	}

}
