package org.critcare.cds.fhir;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Nothing acknowledged is lost on a crash (issue 8 §2): four writers (creates, updates,
 * transactions, CDS Hooks feedback) against the embedded H2 store record every 2xx; the
 * server is killed with SIGKILL while they write, restarted on the same data, and every
 * acknowledged write must be there at its version or later. Three rounds, each checking
 * the writes of all earlier rounds too.
 */
class CrashRecoveryIT {

	private static final Duration START = Duration.ofMinutes(6);

	private static final int ROUNDS = 3;

	private static final int WRITES_BEFORE_KILL = 300;

	@TempDir
	Path temp;

	private ServerProcess server;

	private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();

	private final Set<String> acknowledgedFeedback = ConcurrentHashMap.newKeySet();

	@AfterEach
	void stop() {
		if (server != null) {
			server.stop();
		}
	}

	@Test
	void everyAcknowledgedWriteSurvivesAProcessKill() throws Exception {
		Path data = Files.createDirectories(temp.resolve("data"));
		// -Dcrash.server-args="--spring.datasource.url=..." runs the same test on other
		// settings (e.g. to
		// measure what durable commits cost)
		String extra = System.getProperty("crash.server-args", "");
		server = new ServerProcess(data, extra.isBlank() ? List.of() : List.of(extra.split(" ")));
		Random random = new Random(8);
		server.start(START);
		for (int round = 1; round <= ROUNDS; round++) {
			int before = acknowledgedCount();
			Instant started = Instant.now();
			writeUntilKilled(round, before, 200 + random.nextInt(1_000));
			double seconds = Duration.between(started, Instant.now()).toMillis() / 1000.0;
			int acked = acknowledgedCount() - before;
			System.out.printf("crash round %d: %d writes acknowledged in %.1f s (%.0f/s) before SIGKILL%n", round,
					acked, seconds, acked / seconds);
			assertThat(acked).as("writes acknowledged in round " + round).isGreaterThanOrEqualTo(WRITES_BEFORE_KILL);

			server.start(START);
			assertEveryAcknowledgedWriteIsStored();
		}
	}

	private int acknowledgedCount() {
		return acknowledged.values().stream().mapToInt(Integer::intValue).sum() + acknowledgedFeedback.size();
	}

	/**
	 * Writes until the round has {@link #WRITES_BEFORE_KILL} acknowledged writes, then
	 * for {@code thenMillis} more, and kills the server while the writers are busy.
	 */
	private void writeUntilKilled(int round, int before, long thenMillis) throws InterruptedException {
		Http http = new Http(server.port());
		AtomicBoolean killed = new AtomicBoolean();
		ExecutorService writers = Executors.newFixedThreadPool(4);
		writers.submit(() -> loop(killed, n -> create(http, round, n)));
		writers.submit(() -> loop(killed, n -> update(http, round, n)));
		writers.submit(() -> loop(killed, n -> transaction(http, round, n)));
		writers.submit(() -> loop(killed, n -> feedback(http)));
		Instant giveUp = Instant.now().plus(Duration.ofMinutes(3));
		while (acknowledgedCount() - before < WRITES_BEFORE_KILL && Instant.now().isBefore(giveUp)) {
			Thread.sleep(50);
		}
		Thread.sleep(thenMillis);
		server.kill();
		killed.set(true);
		writers.shutdown();
		assertThat(writers.awaitTermination(2, TimeUnit.MINUTES)).isTrue();
	}

	private interface Write {

		void run(int n);

	}

	private static void loop(AtomicBoolean killed, Write write) {
		for (int n = 0; !killed.get(); n++) {
			try {
				write.run(n);
			}
			catch (UncheckedIOException | IllegalStateException connectionLost) {
				return;
			}
		}
	}

	private void create(Http http, int round, int n) {
		Http.Response response = http.post("/fhir/Observation", observation(round, n),
				Map.of("Content-Type", "application/fhir+json"));
		if (response.status() == 201) {
			acknowledge(response.json());
		}
	}

	private void update(Http http, int round, int n) {
		String id = "crash-u-" + (n % 25);
		Http.Response response = http.put("/fhir/Patient/" + id, patient(id, "round " + round + " write " + n));
		if (response.status() == 200 || response.status() == 201) {
			acknowledge(response.json());
		}
	}

	private void transaction(Http http, int round, int n) {
		String a = "crash-t-" + round + "-" + n + "-a";
		String b = "crash-t-" + round + "-" + n + "-b";
		String bundle = """
				{"resourceType":"Bundle","type":"transaction","entry":[
				{"resource":%s,"request":{"method":"PUT","url":"Patient/%s"}},
				{"resource":%s,"request":{"method":"PUT","url":"Patient/%s"}}]}""".formatted(patient(a, "a"), a,
				patient(b, "b"), b);
		Http.Response response = http.post("/fhir", bundle, Map.of("Content-Type", "application/fhir+json"));
		if (response.status() == 200) {
			for (JsonNode entry : response.json().path("entry")) {
				String[] location = entry.path("response").path("location").asText().split("/");
				acknowledged.merge(location[0] + "/" + location[1], Integer.parseInt(location[3]), Math::max);
			}
		}
	}

	private void feedback(Http http) {
		String card = UUID.randomUUID().toString();
		String body = """
				{"feedback":[{"card":"%s","outcome":"overridden","outcomeTimestamp":"%s"}]}""".formatted(card,
				Instant.now());
		Http.Response response = http.post("/cds-services/sepsis-perfusion/feedback", body,
				Map.of("Content-Type", "application/json"));
		if (response.status() == 200) {
			acknowledgedFeedback.add("urn:uuid:" + card);
		}
	}

	private void acknowledge(JsonNode resource) {
		acknowledged.merge(resource.path("resourceType").asText() + "/" + resource.path("id").asText(),
				resource.path("meta").path("versionId").asInt(), Math::max);
	}

	private void assertEveryAcknowledgedWriteIsStored() {
		Http http = new Http(server.port());
		List<String> lost = new ArrayList<>();
		acknowledged.forEach((id, version) -> {
			Http.Response response = http.get("/fhir/" + id);
			int stored = response.status() == 200 ? response.json().path("meta").path("versionId").asInt() : 0;
			if (stored < version) {
				lost.add(id + " acknowledged at version " + version + ", stored " + stored);
			}
		});
		Set<String> storedCards = storedFeedbackCards(http);
		acknowledgedFeedback.stream()
			.filter(card -> !storedCards.contains(card))
			.forEach(card -> lost.add("feedback on " + card));
		assertThat(lost).as("acknowledged writes missing after a SIGKILL").isEmpty();
	}

	private static Set<String> storedFeedbackCards(Http http) {
		Set<String> cards = ConcurrentHashMap.newKeySet();
		String next = "/fhir/AuditEvent?_count=500";
		while (next != null) {
			JsonNode page = http.get(next).json();
			for (JsonNode entry : page.path("entry")) {
				for (JsonNode entity : entry.path("resource").path("entity")) {
					cards.add(entity.path("what").path("identifier").path("value").asText());
				}
			}
			next = null;
			for (JsonNode link : page.path("link")) {
				if (link.path("relation").asText().equals("next")) {
					next = link.path("url").asText().substring(http.base().length());
				}
			}
		}
		return cards;
	}

	private static String observation(int round, int n) {
		return """
				{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/crash-obs"},
				 "code":{"coding":[{"system":"http://loinc.org","code":"8478-0"}]},
				 "effectiveDateTime":"%s","valueQuantity":{"value":%d,"unit":"mm[Hg]",
				 "system":"http://unitsofmeasure.org","code":"mm[Hg]"},"note":[{"text":"round %d"}]}"""
			.formatted(Instant.now(), 50 + n % 40, round);
	}

	private static String patient(String id, String note) {
		return """
				{"resourceType":"Patient","id":"%s","name":[{"family":"Crash","given":["%s"]}]}""".formatted(id, note);
	}

}
