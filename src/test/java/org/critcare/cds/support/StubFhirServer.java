package org.critcare.cds.support;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in for an EHR's FHIR server: answers GET requests by the first path segment
 * after {@code /fhir/} (the resource type, or a page name), and records the Authorization
 * header of every request. An answer can be delayed, or be a bare status.
 */
public final class StubFhirServer implements AutoCloseable {

	/** One canned answer. */
	public record Answer(int status, String body, Duration delay, Duration perByte) {

		public Answer(int status, String body, Duration delay) {
			this(status, body, delay, Duration.ZERO);
		}

		/** A 200 answer sent one byte at a time, each after {@code perByte}. */
		public static Answer drip(String body, Duration perByte) {
			return new Answer(200, body, Duration.ZERO, perByte);
		}

		public static Answer json(String body) {
			return new Answer(200, body, Duration.ZERO);
		}

		public static Answer status(int status) {
			return new Answer(status, "", Duration.ZERO);
		}

	}

	private final HttpServer server;

	private final Map<String, Answer> answers = new ConcurrentHashMap<>();

	private final List<String> authorizations = new CopyOnWriteArrayList<>();

	private final List<String> paths = new CopyOnWriteArrayList<>();

	public StubFhirServer() {
		try {
			server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		server.createContext("/fhir/", exchange -> {
			String path = exchange.getRequestURI().getRawPath().substring("/fhir/".length());
			String key = path.contains("/") ? path.substring(0, path.indexOf('/')) : path;
			paths.add(exchange.getRequestURI().toString());
			String authorization = exchange.getRequestHeaders().getFirst("Authorization");
			authorizations.add(authorization == null ? "" : authorization);
			Answer answer = answers.getOrDefault(key, Answer.status(404));
			try {
				Thread.sleep(answer.delay().toMillis());
			}
			catch (InterruptedException e) {
				Thread.currentThread().interrupt();
			}
			byte[] body = answer.body().getBytes(StandardCharsets.UTF_8);
			exchange.getResponseHeaders().add("Content-Type", "application/fhir+json");
			exchange.sendResponseHeaders(answer.status(), body.length == 0 ? -1 : body.length);
			try (OutputStream out = exchange.getResponseBody()) {
				if (answer.perByte().isZero()) {
					out.write(body);
				}
				else {
					for (byte b : body) {
						out.write(b);
						out.flush();
						Thread.sleep(answer.perByte().toMillis());
					}
				}
			}
			catch (IOException | InterruptedException clientWentAway) {
				// the reader closed the connection
			}
		});
		server.setExecutor(java.util.concurrent.Executors.newFixedThreadPool(16));
		server.start();
	}

	public String base() {
		return "http://127.0.0.1:" + server.getAddress().getPort() + "/fhir";
	}

	public StubFhirServer answer(String key, Answer answer) {
		answers.put(key, answer);
		return this;
	}

	public List<String> authorizations() {
		return authorizations;
	}

	public List<String> paths() {
		return paths;
	}

	@Override
	public void close() {
		server.stop(0);
	}

}
