package org.critcare.cds.patientdata;

import java.net.URI;
import java.util.List;
import java.util.Locale;

/**
 * Where the service may read and where a client's token may go (issue 8 §4), decided on
 * parsed URLs, never on strings: scheme, host (case-insensitive), port (the scheme's
 * default filled in) and whole path segments. A URL with user information
 * ({@code http://localhost@127.0.0.1/}) is never read.
 */
public final class OutboundUrls {

	private OutboundUrls() {
	}

	/**
	 * The URL as a URI, if it is an absolute http(s) URL with a host and no user
	 * information or fragment; otherwise null.
	 */
	public static URI parse(String url) {
		try {
			URI uri = URI.create(url);
			boolean http = "http".equalsIgnoreCase(uri.getScheme()) || "https".equalsIgnoreCase(uri.getScheme());
			if (!http || uri.getHost() == null || uri.getRawUserInfo() != null || uri.getRawFragment() != null
					|| uri.getRawAuthority() == null || uri.getRawAuthority().contains("@")) {
				return null;
			}
			return uri;
		}
		catch (IllegalArgumentException e) {
			return null;
		}
	}

	/** Whether two URLs have the same origin (scheme, host, port). */
	public static boolean sameOrigin(URI a, URI b) {
		return a.getScheme().equalsIgnoreCase(b.getScheme())
				&& a.getHost().toLowerCase(Locale.ROOT).equals(b.getHost().toLowerCase(Locale.ROOT))
				&& port(a) == port(b);
	}

	/**
	 * Whether {@code url} lies under {@code base}: the same origin, and the base's path
	 * segments are the first segments of the URL's path.
	 */
	public static boolean isUnder(URI url, URI base) {
		if (!sameOrigin(url, base)) {
			return false;
		}
		String basePath = trimSlashes(base.getRawPath());
		String path = trimSlashes(url.getRawPath());
		return basePath.isEmpty() || path.equals(basePath) || path.startsWith(basePath + "/");
	}

	/** Whether a base URL is one of the allowed bases (an empty list allows any). */
	public static boolean isAllowed(URI base, List<String> allowedBases) {
		if (allowedBases.isEmpty()) {
			return true;
		}
		return allowedBases.stream()
			.map(OutboundUrls::parse)
			.anyMatch(allowed -> allowed != null && isUnder(base, allowed));
	}

	private static int port(URI uri) {
		if (uri.getPort() >= 0) {
			return uri.getPort();
		}
		return "https".equalsIgnoreCase(uri.getScheme()) ? 443 : 80;
	}

	private static String trimSlashes(String path) {
		String p = path == null ? "" : path;
		while (p.endsWith("/")) {
			p = p.substring(0, p.length() - 1);
		}
		while (p.startsWith("/")) {
			p = p.substring(1);
		}
		return p;
	}

}
