package org.critcare.cds.cluster;

import static org.assertj.core.api.Assertions.assertThat;
import static org.critcare.cds.support.Fhir.map;
import static org.critcare.cds.support.Fhir.norepinephrineRunning;
import static org.critcare.cds.support.Fhir.patient;
import static org.critcare.cds.support.Fhir.patientView;
import static org.critcare.cds.support.Fhir.septicShock;
import static org.critcare.cds.support.Fhir.transaction;
import static org.critcare.cds.support.StoredFeedback.overridden;
import static org.critcare.cds.support.StoredFeedback.rulesOf;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.critcare.cds.support.AcknowledgedWrites;
import org.critcare.cds.support.Http;
import org.critcare.cds.support.PostgresTestDatabases;
import org.critcare.cds.support.ServerProcess;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.util.FileSystemUtils;

/**
 * Several nodes on one database (issue 14): two server processes on one PostgreSQL
 * database behind nginx, configured with {@code ops/nginx/cds.conf}. Both start at the
 * same time on an empty database and one of them loads the content; a PlanDefinition
 * changed through node A is served by node B within 5 s and both discoveries agree; a
 * card issued by node A and fed back through node B at once keeps its rule. PostgreSQL
 * only (profile {@code postgres-it}); needs Debian's nginx, which {@code .ci/postgres-it}
 * installs.
 */
class ClusterIT {

	private static final Duration START = Duration.ofMinutes(20);

	private static final Duration KNOWLEDGE_BOUND = Duration.ofSeconds(5);

	private static final String SERVICE = "/cds-services/sepsis-perfusion";

	@TempDir
	Path temp;

	private final List<ServerProcess> nodes = new ArrayList<>();

	private Process nginx;

	@AfterEach
	void stop() {
		if (nginx != null) {
			nginx.destroy();
		}
		nodes.forEach(ServerProcess::stop);
	}

	@Test
	void twoNodesBehindNginxShareContentKnowledgeAndIssuedCards() throws Exception {
		assertThat(PostgresTestDatabases.enabled()).as("ClusterIT runs on PostgreSQL (.ci/postgres-it)").isTrue();
		// the nodes' logs stay in target/cluster-it for a look after a failure
		Path logs = Path.of("target", "cluster-it").toAbsolutePath();
		FileSystemUtils.deleteRecursively(logs);
		Path data = Files.createDirectories(logs.resolve("data"));
		ServerProcess a = new ServerProcess(data, "node-a", List.of());
		ServerProcess b = new ServerProcess(data, "node-b", List.of());
		nodes.addAll(List.of(a, b));
		CompletableFuture<Void> startA = CompletableFuture.runAsync(() -> a.start(START));
		CompletableFuture<Void> startB = CompletableFuture.runAsync(() -> b.start(START));
		CompletableFuture.allOf(startA, startB).get(START.toMinutes() + 1, TimeUnit.MINUTES);
		Http nodeA = new Http(a.port());
		Http nodeB = new Http(b.port());
		Http proxy = new Http(startNginx(a.port(), b.port()));

		theContentWasLoadedOnce(a, b, proxy);
		aCardIssuedByNodeAKeepsItsRuleWhenFedBackThroughNodeB(nodeA, nodeB, proxy);
		aRecordChangedThroughNodeAIsReadAtOnceByNodeB(nodeA, nodeB, proxy);
		Duration served = aPlanDefinitionChangedThroughNodeAIsServedByNodeB(nodeA, nodeB, proxy);
		noAcknowledgedWriteIsLostWhenNodeADiesUnderWritesThroughNginx(a, nodeB, proxy);
		// checked last, so that a slow machine does not hide the other outcomes
		assertThat(served).as("knowledge change visible on node B").isLessThanOrEqualTo(KNOWLEDGE_BOUND);
	}

	/** One node stored every content resource, the other none (it found them stored). */
	private void theContentWasLoadedOnce(ServerProcess a, ServerProcess b, Http proxy) throws IOException {
		List<Long> written = new ArrayList<>();
		long resources = 0;
		for (ServerProcess node : List.of(a, b)) {
			Matcher loaded = Pattern.compile("Content loaded: (\\d+) resources, (\\d+) new or changed")
				.matcher(Files.readString(node.log()));
			assertThat(loaded.find()).as("content loaded by " + node).isTrue();
			resources = Long.parseLong(loaded.group(1));
			written.add(Long.parseLong(loaded.group(2)));
		}
		assertThat(resources).isPositive();
		assertThat(written).as("resources written by each node").containsExactlyInAnyOrder(0L, resources);
		JsonNode plan = proxy.get("/fhir/PlanDefinition/sepsis-perfusion").json();
		assertThat(plan.path("meta").path("versionId").asText()).isEqualTo("1");
		assertThat(proxy.get("/fhir/PlanDefinition?_summary=count").json().path("total").asLong())
			.isEqualTo(countFiles("PlanDefinition"));
	}

	private void aCardIssuedByNodeAKeepsItsRuleWhenFedBackThroughNodeB(Http nodeA, Http nodeB, Http proxy) {
		store(proxy, "cluster-1");
		Map<String, Double> before = feedbackCounts(nodeB);
		// at once: node A has not yet written the card (a flush every 200 ms)
		String immediate = card(nodeA, "cluster-1", "SEPTIC-SHOCK-MAP-BELOW-TARGET");
		assertThat(nodeB.post(SERVICE + "/feedback", overridden(immediate, "data-not-current"), json()).status())
			.isEqualTo(200);
		String later = card(nodeA, "cluster-1", "SEPTIC-SHOCK-MAP-BELOW-TARGET");
		sleep(Duration.ofSeconds(1));
		assertThat(proxy.post(SERVICE + "/feedback", overridden(later, "data-not-current"), json()).status())
			.isEqualTo(200);

		assertThat(rulesOf(nodeA, immediate)).containsExactly("SEPTIC-SHOCK-MAP-BELOW-TARGET");
		assertThat(rulesOf(nodeA, later)).containsExactly("SEPTIC-SHOCK-MAP-BELOW-TARGET");
		Map<String, Double> after = feedbackCounts(nodeB);
		String key = "outcome=\"overridden\",rule=\"SEPTIC-SHOCK-MAP-BELOW-TARGET\",service=\"sepsis-perfusion\"";
		assertThat(after.getOrDefault(key, 0.0) - before.getOrDefault(key, 0.0)).as("node B's feedback metric")
			.isGreaterThanOrEqualTo(1.0);
		assertThat(after.getOrDefault("outcome=\"overridden\",rule=\"unknown\",service=\"sepsis-perfusion\"", 0.0))
			.isZero();
	}

	/**
	 * Node B remembers a patient's record between calls without prefetch
	 * (StoredRecordCache); a change written through node A is in node B's very next
	 * answer.
	 */
	private void aRecordChangedThroughNodeAIsReadAtOnceByNodeB(Http nodeA, Http nodeB, Http proxy) {
		store(proxy, "cluster-3");
		for (int call = 0; call < 2; call++) {
			assertThat(rules(nodeB, "cluster-3")).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE",
					"SEPTIC-SHOCK-MAP-BELOW-TARGET");
		}
		assertThat(nodeA
			.put("/fhir/Observation/cluster-3-map", map("cluster-3-map", "cluster-3", "72", Duration.ofMinutes(5)))
			.status()).isEqualTo(200);
		assertThat(rules(nodeB, "cluster-3")).containsExactly("SEPSIS-LACTATE-NOT-AVAILABLE");
	}

	/**
	 * How long after the PUT through node A node B served the changed PlanDefinition;
	 * both discoveries then agree.
	 */
	private Duration aPlanDefinitionChangedThroughNodeAIsServedByNodeB(Http nodeA, Http nodeB, Http proxy) {
		store(proxy, "cluster-2");
		assertThat(rules(nodeB, "cluster-2")).containsExactlyInAnyOrder("SEPTIC-SHOCK-MAP-BELOW-TARGET",
				"SEPSIS-LACTATE-NOT-AVAILABLE");
		ObjectNode plan = (ObjectNode) nodeA.get("/fhir/PlanDefinition/sepsis-perfusion").json();
		plan.remove("meta");
		plan.put("title", "Septic shock perfusion targets (revised on node A)");
		ArrayNode actions = (ArrayNode) plan.path("action");
		for (int i = actions.size() - 1; i >= 0; i--) {
			if (actions.get(i).path("id").asText().equals("SEPSIS-LACTATE-NOT-AVAILABLE")) {
				actions.remove(i);
			}
		}
		Http.Response put = nodeA.put("/fhir/PlanDefinition/sepsis-perfusion", plan.toString());
		assertThat(put.status()).isEqualTo(200);
		Instant written = Instant.now();

		Instant deadline = written.plus(Duration.ofSeconds(30));
		while (!rules(nodeB, "cluster-2").equals(List.of("SEPTIC-SHOCK-MAP-BELOW-TARGET"))
				&& Instant.now().isBefore(deadline)) {
			sleep(Duration.ofMillis(250));
		}
		Duration served = Duration.between(written, Instant.now());
		System.out.printf("cluster: knowledge changed through node A served by node B after %d ms%n",
				served.toMillis());
		System.out.println("cluster: node B: " + lastLine(nodes.get(1), "Knowledge loaded in"));
		// node A rebuilds for its own write at the same time: both must have done so
		while (!rules(nodeA, "cluster-2").equals(List.of("SEPTIC-SHOCK-MAP-BELOW-TARGET"))
				&& Instant.now().isBefore(deadline)) {
			sleep(Duration.ofMillis(250));
		}
		assertThat(rules(nodeB, "cluster-2")).containsExactly("SEPTIC-SHOCK-MAP-BELOW-TARGET");
		JsonNode discoveryB = nodeB.get("/cds-services").json();
		assertThat(title(discoveryB)).isEqualTo("Septic shock perfusion targets (revised on node A)");
		// the same services, hooks, titles and prefetch templates (their order is not
		// part of discovery)
		assertThat(services(discoveryB))
			.containsExactlyInAnyOrderElementsOf(services(nodeA.get("/cds-services").json()));
		assertThat(rules(nodeA, "cluster-2")).containsExactly("SEPTIC-SHOCK-MAP-BELOW-TARGET");
		return served;
	}

	/**
	 * Writers through nginx (creates, updates, transactions, feedback); node A is killed
	 * with SIGKILL while they write, node B answers the rest, and every acknowledged
	 * write is stored.
	 */
	private void noAcknowledgedWriteIsLostWhenNodeADiesUnderWritesThroughNginx(ServerProcess a, Http nodeB, Http proxy)
			throws InterruptedException {
		AcknowledgedWrites writes = new AcknowledgedWrites();
		writes.start(proxy, "cluster");
		writes.awaitMore(200, Duration.ofMinutes(3));
		a.kill();
		int atKill = writes.count();
		writes.awaitMore(100, Duration.ofMinutes(2));
		writes.stop();
		System.out.printf("cluster: %d writes acknowledged through nginx before node A was killed, %d after%n", atKill,
				writes.count() - atKill);
		assertThat(atKill).isGreaterThanOrEqualTo(200);
		assertThat(writes.count() - atKill).as("writes acknowledged by node B after the kill")
			.isGreaterThanOrEqualTo(100);
		assertThat(writes.missing(nodeB)).as("acknowledged writes missing after node A's SIGKILL").isEmpty();
	}

	/** Starts nginx with the shipped configuration, its upstream the two nodes. */
	private int startNginx(int portA, int portB) throws IOException {
		int port = freePort();
		String site = Files.readString(Path.of("ops/nginx/cds.conf"))
			.replaceFirst("(?s)upstream critcare_cds \\{.*?\\n}", """
					upstream critcare_cds {
					    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;
					    server 127.0.0.1:%d max_fails=1 fail_timeout=5s;
					    keepalive 32;
					}""".formatted(portA, portB))
			.replace("listen 80;", "listen 127.0.0.1:" + port + ";");
		Path prefix = Files.createDirectories(temp.resolve("nginx"));
		Files.writeString(prefix.resolve("cds.conf"), site);
		String user = "root".equals(System.getProperty("user.name")) ? "user root;\n" : "";
		Files.writeString(prefix.resolve("nginx.conf"), user + """
				pid %1$s/nginx.pid;
				error_log %1$s/error.log warn;
				events { worker_connections 256; }
				http {
				    access_log off;
				    client_body_temp_path %1$s/body;
				    proxy_temp_path %1$s/proxy;
				    fastcgi_temp_path %1$s/fastcgi;
				    uwsgi_temp_path %1$s/uwsgi;
				    scgi_temp_path %1$s/scgi;
				    include %1$s/cds.conf;
				}
				""".formatted(prefix));
		String binary = Files.isExecutable(Path.of("/usr/sbin/nginx")) ? "/usr/sbin/nginx" : "nginx";
		nginx = new ProcessBuilder(binary, "-p", prefix.toString(), "-c", prefix.resolve("nginx.conf").toString(), "-g",
				"daemon off;")
			.redirectErrorStream(true)
			.redirectOutput(prefix.resolve("nginx.out").toFile())
			.start();
		Http http = new Http(port);
		Instant deadline = Instant.now().plus(Duration.ofSeconds(30));
		while (Instant.now().isBefore(deadline)) {
			try {
				if (http.get("/cds-services").status() == 200) {
					return port;
				}
			}
			catch (RuntimeException notYet) {
				// not listening yet
			}
			sleep(Duration.ofMillis(100));
		}
		throw new IllegalStateException("nginx did not answer; see " + prefix.resolve("nginx.out"));
	}

	private static void store(Http http, String patient) {
		assertThat(http
			.post("/fhir",
					transaction(patient(patient), septicShock(patient + "-shock", patient),
							norepinephrineRunning(patient + "-vp", patient),
							map(patient + "-map", patient, "58", Duration.ofMinutes(10))),
					Map.of("Content-Type", "application/fhir+json"))
			.status()).isEqualTo(200);
	}

	/** The rule ids of the cards the node gives the stored patient, in card order. */
	private static List<String> rules(Http node, String patient) {
		Http.Response response = node.post(SERVICE, patientView(patient), json());
		assertThat(response.status()).isEqualTo(200);
		List<String> rules = new ArrayList<>();
		response.json().path("cards").forEach(c -> rules.add(c.path("source").path("topic").path("code").asText()));
		return rules.stream().sorted().toList();
	}

	/** The uuid of the node's card of this rule for the stored patient. */
	private static String card(Http node, String patient, String rule) {
		Http.Response response = node.post(SERVICE, patientView(patient), json());
		assertThat(response.status()).isEqualTo(200);
		for (JsonNode card : response.json().path("cards")) {
			if (card.path("source").path("topic").path("code").asText().equals(rule)) {
				return card.path("uuid").asText();
			}
		}
		throw new AssertionError("no card of " + rule);
	}

	/** The node's {@code cds_feedback_total} samples, by their labels. */
	private static Map<String, Double> feedbackCounts(Http node) {
		Http.Response response = node.send("GET", "/actuator/prometheus", null, Map.of("Accept", "text/plain"));
		assertThat(response.status()).isEqualTo(200);
		Map<String, Double> counts = new HashMap<>();
		Matcher sample = Pattern.compile("(?m)^cds_feedback_total\\{(.*)} (\\S+)$").matcher(response.body());
		while (sample.find()) {
			counts.put(sample.group(1), Double.parseDouble(sample.group(2)));
		}
		return counts;
	}

	private static List<JsonNode> services(JsonNode discovery) {
		List<JsonNode> services = new ArrayList<>();
		discovery.path("services").forEach(services::add);
		return services;
	}

	private static String title(JsonNode discovery) {
		for (JsonNode service : discovery.path("services")) {
			if (service.path("id").asText().equals("sepsis-perfusion")) {
				return service.path("title").asText();
			}
		}
		return null;
	}

	private static String lastLine(ServerProcess node, String text) {
		try {
			return Files.readAllLines(node.log()).stream().filter(l -> l.contains(text)).reduce((x, y) -> y).orElse("");
		}
		catch (IOException e) {
			return e.toString();
		}
	}

	private static long countFiles(String type) throws IOException {
		try (var files = Files.list(Path.of("fhir-resources", type))) {
			return files.filter(f -> f.toString().endsWith(".json")).count();
		}
	}

	private static Map<String, String> json() {
		return Map.of("Content-Type", "application/json");
	}

	private static int freePort() throws IOException {
		try (var socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	private static void sleep(Duration duration) {
		try {
			Thread.sleep(duration.toMillis());
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
		}
	}

}
