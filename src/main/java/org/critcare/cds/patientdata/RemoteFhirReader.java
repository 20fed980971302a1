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
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import org.critcare.cds.fhir.NothingDroppedErrorHandler;
import org.hl7.fhir.instance.model.api.IBaseResource;
import org.hl7.fhir.r4.model.Bundle;
import org.springframework.stereotype.Component;

/**
 * The one outbound FHIR client (issue 8 §4): reads the CDS client's FHIR server
 * ({@code fhirServer}) with its access token, a read or a search with its {@code next}
 * pages. Every URL it reads must lie under the fhirServer base (a next link elsewhere is
 * not followed, so the token never leaves its origin); redirects are not followed; the
 * whole read holds the call's deadline; an answer larger than the configured cap is
 * refused; and each remote origin has a bounded number of reads in flight, so one slow
 * server cannot starve calls to the others. Reads are asynchronous: a slow server holds
 * no thread. Any failure is a {@link DataUnavailableException}; a read that finds nothing
 * (404/410) is no data. Each read is timed in the metric {@value #READS}, tagged by
 * outcome only (never by server: the fhirServer is the client's choice).
 */
@Component
class RemoteFhirReader {

	static final String READS = "cds.remote.fhir.reads";

	private static final Duration[] BUCKETS = { Duration.ofMillis(10), Duration.ofMillis(25), Duration.ofMillis(50),
			Duration.ofMillis(100), Duration.ofMillis(250), Duration.ofMillis(500), Duration.ofSeconds(1),
			Duration.ofMillis(2500), Duration.ofSeconds(5), Duration.ofSeconds(10) };

	private final MeterRegistry registry;

	private final HttpClient http;

	private final FhirContext fhirContext;

	private final PatientDataProperties properties;

	private final Map<String, Semaphore> readsInFlight = new ConcurrentHashMap<>();

	RemoteFhirReader(FhirContext fhirContext, PatientDataProperties properties, MeterRegistry registry) {
		this.registry = registry;
		this.fhirContext = fhirContext;
		this.properties = properties;
		this.http = HttpClient.newBuilder()
			.connectTimeout(properties.fhirServerTimeout())
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
	}

	/**
	 * The resources of a query, all pages.
	 * @param exchanges collects the HTTP exchanges started, so the caller can cancel them
	 * at its deadline
	 */
	CompletableFuture<List<IBaseResource>> read(FhirServerAccess server, String query, Instant deadline,
			List<CompletableFuture<?>> exchanges) {
		String base = server.baseUrl().endsWith("/") ? server.baseUrl() : server.baseUrl() + "/";
		boolean isRead = !query.contains("?") && query.split("/").length == 2;
		return get(server, base + query, deadline, isRead, exchanges).thenCompose(first -> {
			if (first == null) {
				return CompletableFuture.completedFuture(List.of());
			}
			if (!(first instanceof Bundle bundle)) {
				return CompletableFuture.completedFuture(List.of(first));
			}
			List<IBaseResource> resources = new ArrayList<>(entries(bundle));
			return pages(server, next(bundle), deadline, 1, resources, exchanges);
		});
	}

	/**
	 * The resources of the pages from {@code nextPage} on (a paginated prefetch or
	 * search).
	 */
	CompletableFuture<List<IBaseResource>> nextPages(FhirServerAccess server, String nextPage, Instant deadline,
			List<CompletableFuture<?>> exchanges) {
		return pages(server, nextPage, deadline, 1, new ArrayList<>(), exchanges);
	}

	private CompletableFuture<List<IBaseResource>> pages(FhirServerAccess server, String next, Instant deadline,
			int page, List<IBaseResource> resources, List<CompletableFuture<?>> exchanges) {
		if (next == null) {
			return CompletableFuture.completedFuture(resources);
		}
		if (page > properties.maxPages()) {
			return CompletableFuture.failedFuture(new DataUnavailableException(
					"The FHIR server returned more than " + properties.maxPages() + " pages for one query"));
		}
		return get(server, next, deadline, false, exchanges).thenCompose(resource -> {
			if (!(resource instanceof Bundle bundle)) {
				throw new DataUnavailableException("A search page of the FHIR server is not a Bundle");
			}
			resources.addAll(entries(bundle));
			return pages(server, next(bundle), deadline, page + 1, resources, exchanges);
		});
	}

	private CompletableFuture<IBaseResource> get(FhirServerAccess server, String url, Instant deadline, boolean isRead,
			List<CompletableFuture<?>> exchanges) {
		long started = System.nanoTime();
		URI uri = uri(url);
		URI base = OutboundUrls.parse(server.baseUrl());
		if (base == null || OutboundUrls.parse(uri.toString()) == null || !OutboundUrls.isUnder(uri, base)) {
			record("outside_base", started);
			return CompletableFuture.failedFuture(
					new DataUnavailableException("A page link points outside fhirServer; it is not followed"));
		}
		Duration remaining = Duration.between(Instant.now(), deadline);
		if (remaining.isNegative() || remaining.isZero()) {
			record("timeout", started);
			return CompletableFuture.failedFuture(timedOut(null));
		}
		Semaphore permits = readsInFlight.computeIfAbsent(origin(base),
				o -> new Semaphore(properties.maxReadsPerServer()));
		if (!permits.tryAcquire()) {
			record("busy", started);
			return CompletableFuture.failedFuture(new DataUnavailableException(
					"Too many reads of this FHIR server are in flight; try again shortly"));
		}
		HttpRequest.Builder request = HttpRequest.newBuilder(uri)
			.timeout(remaining)
			.header("Accept", "application/fhir+json")
			.GET();
		if (server.accessToken() != null) {
			request.header("Authorization", "Bearer " + server.accessToken());
		}
		CompletableFuture<HttpResponse<byte[]>> exchange = http.sendAsync(request.build(),
				CappedBody.handler(properties.maxResponseSize().toBytes()));
		synchronized (exchanges) {
			exchanges.add(exchange);
		}
		return exchange.whenComplete((response, failure) -> permits.release()).handle((response, failure) -> {
			try {
				IBaseResource resource = parse(response, failure, isRead);
				record(resource == null ? "not_found" : "ok", started);
				return resource;
			}
			catch (DataUnavailableException e) {
				record(outcome(response, failure), started);
				throw e;
			}
		});
	}

	/** The outcome tag of a failed read, in the terms of {@link #parse}. */
	private static String outcome(HttpResponse<byte[]> response, Throwable failure) {
		if (failure == null) {
			return response.statusCode() == 200 ? "not_fhir" : "http_" + statusClass(response.statusCode());
		}
		Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
				: failure;
		if (cause instanceof HttpTimeoutException) {
			return "timeout";
		}
		if (cause instanceof ConnectException) {
			return "unreachable";
		}
		if (cause instanceof CappedBody.TooLargeException) {
			return "too_large";
		}
		return "network_error";
	}

	private static String statusClass(int status) {
		return status >= 100 && status < 600 ? (status / 100) + "xx" : "other";
	}

	private void record(String outcome, long started) {
		Timer.builder(READS)
			.description("Reads of the CDS client's fhirServer (each page one read), by outcome")
			.tag("outcome", outcome)
			.serviceLevelObjectives(BUCKETS)
			.register(registry)
			.record(System.nanoTime() - started, TimeUnit.NANOSECONDS);
	}

	private IBaseResource parse(HttpResponse<byte[]> response, Throwable failure, boolean isRead) {
		if (failure != null) {
			Throwable cause = failure instanceof CompletionException && failure.getCause() != null ? failure.getCause()
					: failure;
			if (cause instanceof HttpTimeoutException) {
				throw timedOut(cause);
			}
			if (cause instanceof ConnectException) {
				throw new DataUnavailableException("The FHIR server could not be reached (connection refused)", cause);
			}
			if (cause instanceof CappedBody.TooLargeException) {
				throw new DataUnavailableException(
						"The FHIR server's answer is larger than " + properties.maxResponseSize().toMegabytes() + " MB",
						cause);
			}
			if (cause instanceof IOException) {
				throw new DataUnavailableException("The FHIR server could not be read (network error)", cause);
			}
			throw new DataUnavailableException("Reading the FHIR server failed", cause);
		}
		int status = response.statusCode();
		if (isRead && (status == 404 || status == 410)) {
			return null;
		}
		if (status != 200) {
			throw new DataUnavailableException("The FHIR server answered HTTP " + status);
		}
		try {
			return fhirContext.newJsonParser()
				.setParserErrorHandler(NothingDroppedErrorHandler.EVALUATED)
				.parseResource(new String(response.body(), StandardCharsets.UTF_8));
		}
		catch (NothingDroppedErrorHandler.ElementDroppedException e) {
			throw new DataUnavailableException(
					"The FHIR server's answer has content that reading it would leave out: " + e.getMessage(), e);
		}
		catch (DataFormatException e) {
			throw new DataUnavailableException("The FHIR server's answer is not FHIR JSON", e);
		}
	}

	private DataUnavailableException timedOut(Throwable cause) {
		return new DataUnavailableException(
				"The FHIR server did not answer within " + properties.fhirServerTimeout().toMillis() + " ms", cause);
	}

	private static String origin(URI uri) {
		return uri.getScheme().toLowerCase() + "://" + uri.getHost().toLowerCase() + ":" + uri.getPort();
	}

	private static String next(Bundle bundle) {
		return bundle.getLink(Bundle.LINK_NEXT) == null ? null : bundle.getLink(Bundle.LINK_NEXT).getUrl();
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
