package org.critcare.cds.limits;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import java.io.BufferedReader;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

/**
 * Refuses a request body over {@code cds.limits.max-request-size} with 413, before any of
 * it is parsed: by its Content-Length, or, for a body sent without one, by reading at
 * most the limit. The answer has the shape of the path: the CDS Hooks error object, or a
 * FHIR OperationOutcome under {@code /fhir}.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
class RequestSizeFilter extends OncePerRequestFilter {

	private static final Logger log = LoggerFactory.getLogger("critcare.limits");

	private final RequestLimits limits;

	RequestSizeFilter(RequestLimits limits) {
		this.limits = limits;
	}

	@Override
	protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
			throws ServletException, IOException {
		long max = limits.maxRequestSize().toBytes();
		long declared = request.getContentLengthLong();
		if (declared > max) {
			refuse(request, response);
			return;
		}
		boolean hasBody = declared > 0 || request.getHeader("Transfer-Encoding") != null;
		if (declared >= 0 || !hasBody) {
			chain.doFilter(request, response);
			return;
		}
		byte[] body = readAtMost(request.getInputStream(), max);
		if (body == null) {
			refuse(request, response);
			return;
		}
		chain.doFilter(new BufferedBodyRequest(request, body), response);
	}

	private static byte[] readAtMost(InputStream in, long max) throws IOException {
		ByteArrayOutputStream out = new ByteArrayOutputStream();
		byte[] chunk = new byte[8192];
		for (int n = in.read(chunk); n >= 0; n = in.read(chunk)) {
			out.write(chunk, 0, n);
			if (out.size() > max) {
				return null;
			}
		}
		return out.toByteArray();
	}

	private void refuse(HttpServletRequest request, HttpServletResponse response) throws IOException {
		String message = "The request body is larger than " + limits.maxRequestSize().toKilobytes() + " KB";
		log.info("request refused: body over {} bytes on {}", limits.maxRequestSize().toBytes(),
				request.getServletPath());
		response.setStatus(413);
		response.setCharacterEncoding("UTF-8");
		if (request.getRequestURI().startsWith(request.getContextPath() + "/fhir")) {
			response.setContentType("application/fhir+json");
			response.getWriter()
				.write("{\"resourceType\":\"OperationOutcome\",\"issue\":[{\"severity\":\"error\",\"code\":\"too-costly\","
						+ "\"diagnostics\":\"" + message + "\"}]}");
		}
		else {
			response.setContentType("application/json");
			response.getWriter().write("{\"error\":\"PAYLOAD_TOO_LARGE\",\"message\":\"" + message + "\"}");
		}
	}

	/** A request whose body was read up front. */
	private static final class BufferedBodyRequest extends HttpServletRequestWrapper {

		private final byte[] body;

		BufferedBodyRequest(HttpServletRequest request, byte[] body) {
			super(request);
			this.body = body;
		}

		@Override
		public int getContentLength() {
			return body.length;
		}

		@Override
		public long getContentLengthLong() {
			return body.length;
		}

		@Override
		public ServletInputStream getInputStream() {
			ByteArrayInputStream in = new ByteArrayInputStream(body);
			return new ServletInputStream() {

				@Override
				public int read() {
					return in.read();
				}

				@Override
				public int read(byte[] b, int off, int len) {
					return in.read(b, off, len);
				}

				@Override
				public boolean isFinished() {
					return in.available() == 0;
				}

				@Override
				public boolean isReady() {
					return true;
				}

				@Override
				public void setReadListener(ReadListener listener) {
					throw new UnsupportedOperationException("synchronous reads only");
				}

			};
		}

		@Override
		public BufferedReader getReader() {
			Charset charset = StandardCharsets.UTF_8;
			try {
				if (getCharacterEncoding() != null) {
					charset = Charset.forName(getCharacterEncoding());
				}
			}
			catch (IllegalArgumentException unknownCharset) {
				// read as UTF-8; the parser reports what it cannot read
			}
			return new BufferedReader(new InputStreamReader(getInputStream(), charset));
		}

	}

}
