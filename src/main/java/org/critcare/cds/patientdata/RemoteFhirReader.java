package org.critcare.cds.patientdata;

import ca.uhn.fhir.context.FhirContext;
import ca.uhn.fhir.parser.DataFormatException;
import java.io.IOException;
import java.net.ConnectException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * Reads the CDS client's FHIR server ({@code fhirServer}) with its access token: a read
 * or a search, following {@code next} links, within a deadline. Any failure —
 * unreachable, timed out, 401/403, 5xx, a body that is not FHIR — is a
 * {@link DataUnavailableException}; a read that finds nothing (404/410) is no data.
 */
@Component
class RemoteFhirReader {

	private volatile HttpClient http;

	private final FhirContext fhirContext;

	private final PatientDataProperties properties;

	RemoteFhirReader(FhirContext fhirContext, PatientDataProperties properties) {
		this.fhirContext = fhirContext;
		this.properties = properties;
	}

	/**
	 * The HTTP client, built on first use: calls that never read a fhirServer need no TLS
	 * set-up.
	 */
	private HttpClient http() {
		HttpClient client = http;
		if (client == null) {
			synchronized (this) {
				if (http == null) {
					http = HttpClient.newBuilder()
						.connectTimeout(properties.fhirServerTimeout())
						.followRedirects(HttpClient.Redirect.NEVER)
						.build();
				}
				client = http;
			}
		}
		return client;
	}

	/** The resources of a query, all pages, read before the deadline. */
	List<IBaseResource> read(FhirServerAccess server, String query, Instant deadline) {
		String base = server.baseUrl().endsWith("/") ? server.baseUrl() : server.baseUrl() + "/";
		boolean isRead = !query.contains("?") && query.split("/").length == 2;
		IBaseResource first = get(server, uri(base + query), deadline, isRead);
		if (first == null) {
			return List.of();
		}
		if (!(first instanceof Bundle bundle)) {
			return List.of(first);
		}
		List<IBaseResource> resources = new ArrayList<>(entries(bundle));
		resources.addAll(nextPages(server,
				bundle.getLink(Bundle.LINK_NEXT) == null ? null : bundle.getLink(Bundle.LINK_NEXT).getUrl(), deadline));
		return resources;
	}

	/**
	 * The resources of the pages from {@code nextPage} on (a paginated prefetch or
	 * search).
	 */
	List<IBaseResource> nextPages(FhirServerAccess server, String nextPage, Instant deadline) {
		List<IBaseResource> resources = new ArrayList<>();
		String next = nextPage;
		for (int page = 1; next != null; page++) {
			if (page > properties.maxPages()) {
				throw new DataUnavailableException(
						"The FHIR server returned more than " + properties.maxPages() + " pages for one query");
			}
			IBaseResource resource = get(server, uri(next), deadline, false);
			if (!(resource instanceof Bundle bundle)) {
				throw new DataUnavailableException("A search page of the FHIR server is not a Bundle");
			}
			resources.addAll(entries(bundle));
			next = bundle.getLink(Bundle.LINK_NEXT) == null ? null : bundle.getLink(Bundle.LINK_NEXT).getUrl();
		}
		return resources;
	}

	private IBaseResource get(FhirServerAccess server, URI uri, Instant deadline, boolean isRead) {
		Duration remaining = Duration.between(Instant.now(), deadline);
		if (remaining.isNegative() || remaining.isZero()) {
			throw new DataUnavailableException(
					"The FHIR server did not answer within " + properties.fhirServerTimeout().toMillis() + " ms");
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(remaining)
			.header("Accept", "application/fhir+json")
			.GET();
		if (server.accessToken() != null) {
			request.header("Authorization", "Bearer " + server.accessToken());
		}
		HttpResponse<String> response;
		try {
			response = http().send(request.build(), HttpResponse.BodyHandlers.ofString(StandardCharsets.UTF_8));
		}
		catch (HttpTimeoutException e) {
			throw new DataUnavailableException(
					"The FHIR server did not answer within " + properties.fhirServerTimeout().toMillis() + " ms", e);
		}
		catch (ConnectException e) {
			throw new DataUnavailableException("The FHIR server could not be reached (connection refused)", e);
		}
		catch (IOException e) {
			throw new DataUnavailableException("The FHIR server could not be read (network error)", e);
		}
		catch (InterruptedException e) {
			Thread.currentThread().interrupt();
			throw new DataUnavailableException("Interrupted while reading the FHIR server", e);
		}
		int status = response.statusCode();
		if (isRead && (status == 404 || status == 410)) {
			return null;
		}
		if (status != 200) {
			throw new DataUnavailableException("The FHIR server answered HTTP " + status);
		}
		try {
			return fhirContext.newJsonParser().parseResource(response.body());
		}
		catch (DataFormatException e) {
			throw new DataUnavailableException("The FHIR server's answer is not FHIR JSON", e);
		}
	}

	/**
	 * The URI of a FHIR query, with characters that may not appear in a URI (such as the
	 * {@code |} of {@code system|code} tokens) percent-encoded and existing escapes kept.
	 */
	static URI uri(String url) {
		StringBuilder encoded = new StringBuilder(url.length() + 16);
		for (byte b : url.getBytes(StandardCharsets.UTF_8)) {
			int c = b & 0xff;
			if (c > 0x20 && c < 0x7f && ALLOWED.indexOf(c) >= 0) {
				encoded.append((char) c);
			}
			else {
				encoded.append('%').append(String.format("%02X", c));
			}
		}
		try {
			return URI.create(encoded.toString());
		}
		catch (IllegalArgumentException e) {
			throw new DataUnavailableException("Not a valid FHIR query URL", e);
		}
	}

	private static final String ALLOWED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~:/?#@!$&'()*+,;=%";

	private static List<IBaseResource> entries(Bundle bundle) {
		List<IBaseResource> resources = new ArrayList<>();
		for (Bundle.BundleEntryComponent entry : bundle.getEntry()) {
			boolean match = entry.getSearch().getMode() == null
					|| entry.getSearch().getMode() == Bundle.SearchEntryMode.MATCH;
			if (entry.hasResource() && match) {
				resources.add(entry.getResource());
			}
		}
		return resources;
	}

}
