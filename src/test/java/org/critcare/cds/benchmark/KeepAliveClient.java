package org.critcare.cds.benchmark;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP/1.1 keep-alive connection that POSTs a prepared JSON body and reads the
 * answer, with as little client-side work as possible, so that the benchmark measures the
 * server.
 */
final class KeepAliveClient implements AutoCloseable {

	private final Socket socket;

	private final OutputStream out;

	private final InputStream in;

	private final String host;

	KeepAliveClient(URI base) throws IOException {
		this.host = base.getHost() + ":" + base.getPort();
		this.socket = new Socket(base.getHost(), base.getPort());
		socket.setTcpNoDelay(true);
		this.out = socket.getOutputStream();
		this.in = new BufferedInputStream(socket.getInputStream(), 65536);
	}

	/** A complete request, ready to send as often as wanted. */
	byte[] request(String path, byte[] body, String acceptLanguage) {
		String head = "POST " + path + " HTTP/1.1\r\nHost: " + host + "\r\nContent-Type: application/json\r\n"
				+ "Accept: application/json\r\n"
				+ (acceptLanguage == null ? "" : "Accept-Language: " + acceptLanguage + "\r\n") + "Content-Length: "
				+ body.length + "\r\n\r\n";
		byte[] headBytes = head.getBytes(StandardCharsets.US_ASCII);
		byte[] request = new byte[headBytes.length + body.length];
		System.arraycopy(headBytes, 0, request, 0, headBytes.length);
		System.arraycopy(body, 0, request, headBytes.length, body.length);
		return request;
	}

	/**
	 * A complete GET request (a FHIR read or search), ready to send as often as wanted.
	 */
	byte[] get(String pathAndQuery) {
		return ("GET " + pathAndQuery + " HTTP/1.1\r\nHost: " + host + "\r\nAccept: application/fhir+json\r\n\r\n")
			.getBytes(StandardCharsets.US_ASCII);
	}

	/** Sends the request and reads the whole answer; returns the HTTP status. */
	int send(byte[] request) throws IOException {
		out.write(request);
		out.flush();
		String status = line();
		int code = Integer.parseInt(status.substring(9, 12));
		int length = -1;
		boolean chunked = false;
		for (String header = line(); !header.isEmpty(); header = line()) {
			String lower = header.toLowerCase();
			if (lower.startsWith("content-length:")) {
				length = Integer.parseInt(header.substring(15).trim());
			}
			else if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				chunked = true;
			}
		}
		if (chunked) {
			for (int size = Integer.parseInt(line().trim(), 16); size > 0; size = Integer.parseInt(line().trim(), 16)) {
				skip(size);
				line();
			}
			line();
		}
		else if (length > 0) {
			skip(length);
		}
		return code;
	}

	private void skip(int bytes) throws IOException {
		int left = bytes;
		while (left > 0) {
			long skipped = in.skip(left);
			if (skipped <= 0) {
				if (in.read() < 0) {
					throw new IOException("connection closed");
				}
				skipped = 1;
			}
			left -= (int) skipped;
		}
	}

	private String line() throws IOException {
		StringBuilder line = new StringBuilder(64);
		for (int c = in.read(); c != '\n'; c = in.read()) {
			if (c < 0) {
				throw new IOException("connection closed");
			}
			if (c != '\r') {
				line.append((char) c);
			}
		}
		return line.toString();
	}

	@Override
	public void close() throws IOException {
		socket.close();
	}

}
