package org.critcare.cds.support;

import com.fasterxml.jackson.databind.JsonNode;
import java.io.UncheckedIOException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Concurrent writers that remember every acknowledged write (issue 8 §2, issue 14): four
 * threads send creates, updates, transactions and CDS Hooks feedback and record each 2xx
 * with the version it was acknowledged at, until {@link #stop()}; {@link #missing(Http)}
 * then names every acknowledged write the store does not hold at that version or later. A
 * writer whose connection fails goes on with its next write (a node behind a proxy may
 * die while the others answer).
 */
public final class AcknowledgedWrites {

	private final Map<String, Integer> acknowledged = new ConcurrentHashMap<>();

	private final Set<String> acknowledgedFeedback = ConcurrentHashMap.newKeySet();

	private final AtomicBoolean stopped = new AtomicBoolean();

	private ExecutorService writers;

	/** How many writes were acknowledged so far. */
	public int count() {
		return acknowledged.values().stream().mapToInt(Integer::intValue).sum() + acknowledgedFeedback.size();
	}

	/**
	 * Starts the four writers against the server; {@code label} keeps the ids of rounds
	 * apart.
	 */
	public void start(Http http, String label) {
		stopped.set(false);
		writers = Executors.newFixedThreadPool(4);
		writers.submit(() -> loop(n -> create(http, label, n)));
		writers.submit(() -> loop(n -> update(http, label, n)));
		writers.submit(() -> loop(n -> transaction(http, label, n)));
		writers.submit(() -> loop(n -> feedback(http)));
	}

	/**
	 * Waits until at least {@code count} more writes are acknowledged, or the timeout.
	 */
	public void awaitMore(int count, Duration timeout) throws InterruptedException {
		int target = count() + count;
		Instant giveUp = Instant.now().plus(timeout);
		while (count() < target && Instant.now().isBefore(giveUp)) {
			Thread.sleep(50);
		}
	}

	/** Stops the writers and waits for them. */
	public void stop() throws InterruptedException {
		stopped.set(true);
		writers.shutdown();
		if (!writers.awaitTermination(2, TimeUnit.MINUTES)) {
			throw new IllegalStateException("writers did not stop");
		}
	}

	/**
	 * The acknowledged writes that the store behind {@code http} does not hold at their
	 * version or later.
	 */
	public List<String> missing(Http http) {
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
		return lost;
	}

	private interface Write {

		void run(int n);

	}

	private void loop(Write write) {
		for (int n = 0; !stopped.get(); n++) {
			try {
				write.run(n);
			}
			catch (UncheckedIOException | IllegalStateException connectionLost) {
				pause();
			}
		}
	}

	private void create(Http http, String label, int n) {
		Http.Response response = http.post("/fhir/Observation", observation(label, n),
				Map.of("Content-Type", "application/fhir+json"));
		if (response.status() == 201) {
			acknowledge(response.json());
		}
	}

	private void update(Http http, String label, int n) {
		String id = "crash-u-" + (n % 25);
		Http.Response response = http.put("/fhir/Patient/" + id, patient(id, label + " write " + n));
		if (response.status() == 200 || response.status() == 201) {
			acknowledge(response.json());
		}
	}

	private void transaction(Http http, String label, int n) {
		String a = "crash-t-" + label + "-" + n + "-a";
		String b = "crash-t-" + label + "-" + n + "-b";
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
					next = link.path("url").asText().replaceFirst("^https?://[^/]+", "");
				}
			}
		}
		return cards;
	}

	private static String observation(String label, int n) {
		return """
				{"resourceType":"Observation","status":"final","subject":{"reference":"Patient/crash-obs"},
				 "code":{"coding":[{"system":"http://loinc.org","code":"8478-0"}]},
				 "effectiveDateTime":"%s","valueQuantity":{"value":%d,"unit":"mm[Hg]",
				 "system":"http://unitsofmeasure.org","code":"mm[Hg]"},"note":[{"text":"%s"}]}"""
			.formatted(Instant.now(), 50 + n % 40, label);
	}

	private static String patient(String id, String note) {
		return """
				{"resourceType":"Patient","id":"%s","name":[{"family":"Crash","given":["%s"]}]}""".formatted(id, note);
	}

	private static void pause() {
		try {
			Thread.sleep(100);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
