package org.critcare.cds.support;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpHeaders;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** A small HTTP client for the tests: JSON in, status and JSON out. */
public final class Http {

	private static final ObjectMapper JSON = new ObjectMapper();

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

	private final String base;

	public Http(int port) {
		this.base = "http://localhost:" + port;
	}

	/**
	 * A response: status, body as text and as JSON (null when not JSON), and headers.
	 */
	public record Response(int status, String body, JsonNode json, HttpHeaders headers) {

		/** The first value of a header, or null. */
		public String header(String name) {
			return headers.firstValue(name).orElse(null);
		}

	}

	public String base() {
		return base;
	}

	public Response get(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).GET(), Map.of());
	}

	public Response post(String path, String body, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.POST(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)), headers);
	}

	public Response post(String path, JsonNode body) {
		return post(path, body.toString(), Map.of("Content-Type", "application/json"));
	}

	public Response put(String path, String body) {
		return send(
				HttpRequest.newBuilder(URI.create(base + path))
					.PUT(HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)),
				Map.of("Content-Type", "application/fhir+json"));
	}

	/**
	 * Any request; the headers replace the default Accept header when they name one.
	 */
	public Response send(String method, String path, String body, Map<String, String> headers) {
		return send(HttpRequest.newBuilder(URI.create(base + path))
			.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
					: HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8)),
				headers);
	}

	/**
	 * A request sent as written, over a plain socket, for targets that
	 * {@link java.net.URI} refuses (a lone {@code %}).
	 */
	public Response raw(String method, String target) {
		return raw(method, target, Map.of());
	}

	/**
	 * {@link #raw(String, String)} with more request headers; the answer has its headers.
	 */
	public Response raw(String method, String target, Map<String, String> headers) {
		URI uri = URI.create(base);
		try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
			socket.setSoTimeout(60_000);
			StringBuilder extra = new StringBuilder();
			headers.forEach((name, value) -> extra.append(name).append(": ").append(value).append("\r\n"));
			String request = method + " " + target + " HTTP/1.1\r\nHost: " + uri.getHost()
					+ "\r\nAccept: application/fhir+json\r\n" + extra + "Connection: close\r\n\r\n";
			socket.getOutputStream().write(request.getBytes(StandardCharsets.ISO_8859_1));
			String response = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			int status = Integer.parseInt(response.substring(9, 12));
			String head = response.substring(0, response.indexOf("\r\n\r\n"));
			String body = response.substring(head.length() + 4);
			if (head.toLowerCase(Locale.ROOT).contains("transfer-encoding: chunked")) {
				body = unchunk(body);
			}
			Map<String, List<String>> answered = new TreeMap<>(String.CASE_INSENSITIVE_ORDER);
			for (String line : head.split("\r\n")) {
				int colon = line.indexOf(':');
				if (colon > 0) {
					answered.computeIfAbsent(line.substring(0, colon).trim(), name -> new ArrayList<>())
						.add(line.substring(colon + 1).trim());
				}
			}
			return new Response(status, body, parse(body), HttpHeaders.of(answered, (a, b) -> true));
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

	private static String unchunk(String chunked) {
		StringBuilder body = new StringBuilder();
		int at = 0;
		while (true) {
			int lineEnd = chunked.indexOf("\r\n", at);
			int size = Integer.parseInt(chunked.substring(at, lineEnd).trim(), 16);
			if (size == 0) {
				return body.toString();
			}
			byte[] rest = chunked.substring(lineEnd + 2).getBytes(StandardCharsets.UTF_8);
			String chunk = new String(rest, 0, size, StandardCharsets.UTF_8);
			body.append(chunk);
			at = lineEnd + 2 + chunk.length() + 2;
		}
	}

	public Response delete(String path) {
		return send(HttpRequest.newBuilder(URI.create(base + path)).DELETE(), Map.of());
	}

	private Response send(HttpRequest.Builder request, Map<String, String> headers) {
		request.timeout(Duration.ofSeconds(60)).header("Accept", "application/json, application/fhir+json");
		headers.forEach(request::setHeader);
		try {
			HttpResponse<String> response = client.send(request.build(),
					HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
			return new Response(response.statusCode(), response.body(), parse(response.body()), response.headers());
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(e);
		}
	}

	private static JsonNode parse(String body) {
		try {
			return body == null || body.isBlank() ? null : JSON.readTree(body);
		}
		catch (IOException e) {
			return null;
		}
	}

	public static JsonNode json(String text) {
		try {
			return JSON.readTree(text);
		}
		catch (IOException e) {
			throw new UncheckedIOException(e);
		}
	}

}
